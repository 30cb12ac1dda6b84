#!/usr/bin/python3
"""Fixtures for FID on small sets and for pytorch-fid's statistics files (CycleGan.Tests/Evaluation/Fixtures/).

FID is computed here as pytorch-fid's calculate_frechet_distance does, written from its formula: float64 means,
unbiased covariances (numpy.cov, N - 1), covmean = scipy.linalg.sqrtm(sigma1 @ sigma2); when covmean is not finite,
1e-6 is added to both covariance diagonals and sqrtm taken again; an imaginary part is dropped when the diagonal's is
within 1e-3 of zero (pytorch-fid raises otherwise); FID = |mu1 - mu2|^2 + tr(sigma1) + tr(sigma2) - 2 tr(covmean).

The feature sets are not stored: both sides generate them from the counter-based SplitMix64 stream that
make_fid_fixtures.py uses (value c of seed s is splitmix64(s + (c + 1) * golden) as a double in [0, 1)):
  first set   x[i, j] = u(s, i*d + j)                 + u(s + 1, i) * u(s + 2, j)
  second set  y[i, j] = 0.8 * u(s + 3, i*d + j)^2 + 0.1 + u(s + 4, i) * u(s + 5, j)
(a per-image factor times a per-feature loading correlates the features), then the listed features of each set are
set to exactly 0 (dead units: a feature constant in one set and not the other is what makes scipy's sqrtm fail).
Written:

  fid_small.json           every case with scipy's FID, whether the 1e-6 fallback was taken, and the scipy version
  numpy_stats.npz          mu [5] and sigma [5, 5] as pytorch-fid's --save-stats writes them (np.savez_compressed)
  numpy_stats_stored.npz   the same with np.savez (no compression)
  numpy_stats_f4.npz       float32 arrays (our reader refuses them by name)
  fid_npz.json             the values in numpy_stats.npz, and what numpy read from ours_stats.npz

ours_stats.npz is written by our code, not here: pass --cyclegan "COMMAND" (e.g. the built executable) and this
script runs `COMMAND fid numpy_stats.npz --save-stats ours_stats.npz`, then reads ours with numpy and records in
fid_npz.json whether its dtypes, shapes, order and values are those numpy wrote.
"""
import argparse
import json
import os
import shlex
import subprocess
import sys

import numpy as np
import scipy
import scipy.linalg

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_fid_fixtures import splitmix_uniform  # noqa: E402  (the same stream as the Inception weights)

# name, feature dimension d, N first, N second, seed, features zeroed in the first set, in the second
CASES = [
    ("rank_deficient", 128, 24, 24, 101, [], []),
    ("nearly_singular", 128, 140, 140, 102, [], []),
    ("full_rank", 128, 2100, 2100, 103, [], []),
    ("unequal_sizes", 128, 24, 140, 104, [], []),
    ("rank_deficient_2048", 2048, 24, 24, 105, [], []),
    # one scipy block (d < 128): a feature dead in the first set only and one dead in the second only couple two zero
    # eigenvalues inside the block, sqrtm gives NaN and pytorch-fid's fallback is taken
    ("fallback", 64, 24, 24, 106, [3, 4], [4, 5]),
    ("fallback_full_rank", 64, 140, 140, 107, [7], [9]),
    # the same pattern over two blocks (d = 128): the zero eigenvalues sit in different blocks, sqrtm stays finite
    ("dead_features_finite", 128, 140, 140, 108, [3], [5]),
    # dead in both sets alike: zero rows and columns together, never a failure
    ("dead_in_both", 64, 24, 24, 109, [2, 8], [2, 8]),
]


def features(seed, n, d, second):
    base = splitmix_uniform(seed + (3 if second else 0), 0, n * d).reshape(n, d)
    factor = splitmix_uniform(seed + (4 if second else 1), 0, n).reshape(n, 1)
    loading = splitmix_uniform(seed + (5 if second else 2), 0, d).reshape(1, d)
    if second:
        return 0.8 * base * base + 0.1 + factor * loading
    return base + factor * loading


def pytorch_fid_formula(a, b, eps=1e-6):
    mu1, mu2 = a.mean(axis=0), b.mean(axis=0)
    sigma1, sigma2 = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    covmean, _ = scipy.linalg.sqrtm(sigma1.dot(sigma2), disp=False)
    fallback = not np.isfinite(covmean).all()
    if fallback:
        offset = np.eye(sigma1.shape[0]) * eps
        covmean = scipy.linalg.sqrtm((sigma1 + offset).dot(sigma2 + offset))
    if np.iscomplexobj(covmean):
        if not np.allclose(np.diagonal(covmean).imag, 0, atol=1e-3):
            raise ValueError("imaginary component %g" % np.max(np.abs(covmean.imag)))
        covmean = covmean.real
    diff = mu1 - mu2
    fid = diff.dot(diff) + np.trace(sigma1) + np.trace(sigma2) - 2 * np.trace(covmean)
    return float(fid), fallback


def stats_files(out):
    rng = np.random.default_rng(21)
    x = rng.normal(size=(9, 5)) @ rng.normal(size=(5, 5))
    mu, sigma = x.mean(axis=0), np.cov(x, rowvar=False)
    np.savez_compressed(os.path.join(out, "numpy_stats.npz"), mu=mu, sigma=sigma)
    np.savez(os.path.join(out, "numpy_stats_stored.npz"), mu=mu, sigma=sigma)
    np.savez(os.path.join(out, "numpy_stats_f4.npz"), mu=mu.astype(np.float32), sigma=sigma.astype(np.float32))
    return mu, sigma


def read_ours(out, mu, sigma, cyclegan):
    ours = os.path.join(out, "ours_stats.npz")
    if cyclegan:
        if os.path.exists(ours):
            os.remove(ours)
        subprocess.run(shlex.split(cyclegan) + ["fid", os.path.join(out, "numpy_stats.npz"), "--save-stats", ours], check=True)
    if not os.path.exists(ours):
        return None
    with np.load(ours, allow_pickle=False) as f:
        names = sorted(f.files)
        m, s = f["mu"], f["sigma"]
        return {
            "files": names,
            "mu_dtype": m.dtype.str, "sigma_dtype": s.dtype.str,
            "mu_shape": list(m.shape), "sigma_shape": list(s.shape),
            "sigma_c_contiguous": bool(s.flags["C_CONTIGUOUS"]),
            "mu": m.tolist(), "sigma": s.tolist(),
            "equal_to_numpy_stats": bool(np.array_equal(m, mu) and np.array_equal(s, sigma)),
        }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--output", default=os.path.join(os.path.dirname(__file__), "../../CycleGan.Tests/Evaluation/Fixtures"))
    parser.add_argument("--cyclegan", help="command that runs our cyclegan (to write ours_stats.npz)")
    parser.add_argument("--skip-fid", action="store_true", help="only the statistics files")
    args = parser.parse_args()
    os.makedirs(args.output, exist_ok=True)

    if not args.skip_fid:
        cases = []
        for name, d, n1, n2, seed, dead1, dead2 in CASES:
            a, b = features(seed, n1, d, False), features(seed, n2, d, True)
            a[:, dead1] = 0.0
            b[:, dead2] = 0.0
            fid, fallback = pytorch_fid_formula(a, b)
            cases.append({"name": name, "d": d, "n1": n1, "n2": n2, "seed": seed, "dead1": dead1, "dead2": dead2,
                          "fid": fid, "fallback": fallback})
            print(f"{name}: d {d}, N {n1}/{n2}: FID {fid!r}, fallback {fallback}", flush=True)
        with open(os.path.join(args.output, "fid_small.json"), "w") as f:
            json.dump({"scipy": scipy.__version__, "numpy": np.__version__, "cases": cases}, f, indent=1)

    mu, sigma = stats_files(args.output)
    record = {"mu": mu.tolist(), "sigma": sigma.tolist(), "ours_read_by_numpy": read_ours(args.output, mu, sigma, args.cyclegan)}
    with open(os.path.join(args.output, "fid_npz.json"), "w") as f:
        json.dump(record, f, indent=1)
    print("ours read by numpy:", None if record["ours_read_by_numpy"] is None else record["ours_read_by_numpy"]["equal_to_numpy_stats"])


if __name__ == "__main__":
    main()
