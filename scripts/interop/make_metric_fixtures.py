#!/usr/bin/python3
"""Writes CycleGan.Tests/Inference/Fixtures/image_metrics.json: small image pairs with their SSIM, PSNR and mean
absolute error as scikit-image computes them, so that ImageMetrics is pinned to an independent implementation.

ImageMetrics follows Wang et al. (2004) as scikit-image does with gaussian_weights=True: an 11-tap Gaussian window
(sigma 1.5, truncated at 3.5 sigma), population (not sample) covariance, K1 0.01, K2 0.03, data range 1, the mean
over the positions where the whole window fits, averaged over channels. scikit-image's defaults differ (a uniform
7x7 window, sample covariance, data range from the dtype), so every parameter is passed explicitly below.

Run with Debian's python3-skimage: /usr/bin/python3 scripts/interop/make_metric_fixtures.py
"""
import json
import os

import numpy as np
import skimage
from skimage.metrics import peak_signal_noise_ratio, structural_similarity

SSIM_PARAMETERS = dict(gaussian_weights=True, sigma=1.5, use_sample_covariance=False, K1=0.01, K2=0.03, data_range=1.0)


def pattern(channels, height, width, phase):
    y, x = np.mgrid[0:height, 0:width]
    planes = [0.5 + 0.4 * np.sin(x / (2.0 + c) + phase) * np.cos(y / (3.0 + c)) for c in range(channels)]
    return np.stack(planes)


def cases(rng):
    a = rng.uniform(0, 1, (1, 16, 16))
    yield "uniform noise, gray 16x16, plus noise", a, np.clip(a + rng.normal(0, 0.1, a.shape), 0, 1)
    a = pattern(3, 20, 17, 0.0)
    yield "pattern, rgb 20x17, plus noise", a, np.clip(a + rng.normal(0, 0.05, a.shape), 0, 1)
    a = rng.uniform(0, 1, (1, 11, 11))
    yield "window-sized 11x11 (one position)", a, rng.uniform(0, 1, (1, 11, 11))
    y, x = np.mgrid[0:12, 0:24]
    yield "flat against gradient, gray 12x24", np.full((1, 12, 24), 0.3), (x / 23.0)[None]
    a = pattern(1, 32, 32, 0.5)
    yield "pattern shifted by one pixel, gray 32x32", a, np.roll(a, 1, axis=2)
    a = pattern(3, 24, 24, 1.0)
    yield "contrast lowered, rgb 24x24", a, 0.5 + 0.6 * (a - 0.5)


def main():
    rng = np.random.default_rng(20261204)
    out = []
    for name, a, b in cases(rng):
        # the values ImageMetrics receives are float32; scikit-image computes in float64 from those same values
        a = a.astype(np.float32).astype(np.float64)
        b = b.astype(np.float32).astype(np.float64)
        channels, height, width = a.shape
        ssim = structural_similarity(a, b, channel_axis=0, **SSIM_PARAMETERS)
        psnr = peak_signal_noise_ratio(a, b, data_range=1.0)
        out.append({
            "name": name,
            "channels": channels,
            "height": height,
            "width": width,
            # float32's shortest round-trip text: parsed as float32, it gives these very values back
            "a": [float(np.format_float_positional(np.float32(v), unique=True)) for v in a.ravel()],
            "b": [float(np.format_float_positional(np.float32(v), unique=True)) for v in b.ravel()],
            "ssim": float(ssim),
            "psnr": float(psnr),
            "mae": float(np.mean(np.abs(a - b))),
        })

    fixture = {
        "made_by": "scripts/interop/make_metric_fixtures.py",
        "skimage": skimage.__version__,
        "ssim_parameters": SSIM_PARAMETERS,
        "layout": "a and b are CHW, row-major, float32 values (parse them as float32)",
        "cases": out,
    }
    path = os.path.join(os.path.dirname(__file__), "..", "..", "CycleGan.Tests", "Inference", "Fixtures", "image_metrics.json")
    cases_text = ",\n  ".join(json.dumps(c) for c in out)
    fixture["cases"] = "CASES"
    with open(path, "w") as f:
        f.write(json.dumps(fixture, indent=1).replace('"CASES"', "[\n  " + cases_text + "\n ]") + "\n")
    for c in out:
        print(f"{c['name']}: ssim {c['ssim']:.6f} psnr {c['psnr']:.4f}")


if __name__ == "__main__":
    main()
