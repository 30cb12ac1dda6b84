#!/usr/bin/python3
"""Fixtures for the FID Inception extractor and the FID/KID statistics (CycleGan.Tests/Evaluation/Fixtures/).

An independent implementation: torchvision's Inception3 (Debian's python3-torchvision) with pytorch-fid's FID-specific
block changes made here (average pools that leave the zero padding out of the count in Mixed_5b..5d, 6b..6e, 7b; a
max pool in Mixed_7c's pool branch), 1008 classes, no auxiliary head; the 2048-d features are those of the final
average pool, after resizing the [0, 1] input to 299x299 (bilinear, align_corners=False) and scaling it to [-1, 1].

The full network holds 23.9 million weights (about 95 MB as float32, 48 MB as float16, random values do not
compress), far too much to commit. So the weights are not stored: both sides generate them from a counter-based
SplitMix64 stream (value number c of the seed is splitmix64(seed + (c + 1) * golden)), which the C# test implements
identically; the state-dict order is fixed by the committed key list. Written (all small):

  fid_keys.txt            every state-dict key with its shape, in torchvision's order (the pt_inception file's layout)
  fid_features.bin        float32 features [N, 2048] of the generated input batch, from PyTorch
  fid_keyed.pth.gz        a real torch.save'd state dict of that layout, every tensor filled with (key index + 1) / 1000
                          (compresses to almost nothing), so that the C# loader is tested on PyTorch's own file
  fid_stats.json          FID and KID of small feature sets, computed with numpy/scipy (scipy.linalg.sqrtm route)

--full-pth PATH additionally writes the whole random-weights network as a .pth (about 95 MB, not committed): the
"random-weights fixture" for trying `cyclegan evaluate --fid --kid --inception-weights PATH` without the real file.
"""
import argparse
import gzip
import io
import json
import os

import numpy as np
import scipy.linalg
import torch
import torch.nn.functional as F
import torchvision.models.inception as tvi

WEIGHT_SEED = 20151205
INPUT_SEED = 7
INPUT_SHAPE = (3, 3, 37, 53)  # odd sides: the 299x299 bilinear resize is exercised both ways
GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def splitmix_uniform(seed, start, count):
    """Uniform doubles in [0, 1): the top 53 bits of splitmix64(seed + (c + 1) * golden) for c in [start, start+count)."""
    with np.errstate(over="ignore"):
        c = np.arange(start + 1, start + count + 1, dtype=np.uint64)
        z = np.uint64(seed) + c * GOLDEN
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(11)).astype(np.float64) * (2.0 ** -53)


def value_rule(key, shape):
    """(low, high) of the uniform distribution a key's values are drawn from; the C# test states the same rules.
    Convolutions: variance 2/fan_in (He), so that activations neither vanish nor explode over ~95 layers."""
    if key.endswith("conv.weight") or key == "fc.weight":
        fan_in = int(np.prod(shape[1:]))
        bound = np.sqrt(3.0) * np.sqrt(2.0 / fan_in)
        return -bound, bound
    if key.endswith("bn.weight") or key.endswith("running_var"):
        return 0.5, 1.5
    if key.endswith("bn.bias") or key.endswith("running_mean") or key == "fc.bias":
        return -0.1, 0.1
    raise ValueError(key)


class FidInceptionA(tvi.InceptionA):
    def forward(self, x):
        b1 = self.branch1x1(x)
        b5 = self.branch5x5_2(self.branch5x5_1(x))
        b3 = self.branch3x3dbl_3(self.branch3x3dbl_2(self.branch3x3dbl_1(x)))
        bp = self.branch_pool(F.avg_pool2d(x, 3, stride=1, padding=1, count_include_pad=False))
        return torch.cat([b1, b5, b3, bp], 1)


class FidInceptionC(tvi.InceptionC):
    def forward(self, x):
        b1 = self.branch1x1(x)
        b7 = self.branch7x7_3(self.branch7x7_2(self.branch7x7_1(x)))
        bd = self.branch7x7dbl_1(x)
        for layer in (self.branch7x7dbl_2, self.branch7x7dbl_3, self.branch7x7dbl_4, self.branch7x7dbl_5):
            bd = layer(bd)
        bp = self.branch_pool(F.avg_pool2d(x, 3, stride=1, padding=1, count_include_pad=False))
        return torch.cat([b1, b7, bd, bp], 1)


class FidInceptionE(tvi.InceptionE):
    def __init__(self, in_channels, max_pool):
        super().__init__(in_channels)
        self.max_pool = max_pool

    def forward(self, x):
        b1 = self.branch1x1(x)
        b3 = self.branch3x3_1(x)
        b3 = torch.cat([self.branch3x3_2a(b3), self.branch3x3_2b(b3)], 1)
        bd = self.branch3x3dbl_2(self.branch3x3dbl_1(x))
        bd = torch.cat([self.branch3x3dbl_3a(bd), self.branch3x3dbl_3b(bd)], 1)
        if self.max_pool:
            pooled = F.max_pool2d(x, 3, stride=1, padding=1)
        else:
            pooled = F.avg_pool2d(x, 3, stride=1, padding=1, count_include_pad=False)
        return torch.cat([b1, b3, bd, self.branch_pool(pooled)], 1)


def fid_inception():
    net = tvi.Inception3(num_classes=1008, aux_logits=False, init_weights=False)
    net.Mixed_5b = FidInceptionA(192, pool_features=32)
    net.Mixed_5c = FidInceptionA(256, pool_features=64)
    net.Mixed_5d = FidInceptionA(288, pool_features=64)
    net.Mixed_6b = FidInceptionC(768, channels_7x7=128)
    net.Mixed_6c = FidInceptionC(768, channels_7x7=160)
    net.Mixed_6d = FidInceptionC(768, channels_7x7=160)
    net.Mixed_6e = FidInceptionC(768, channels_7x7=192)
    net.Mixed_7b = FidInceptionE(1280, max_pool=False)
    net.Mixed_7c = FidInceptionE(2048, max_pool=True)
    return net.eval()


def pool_features(net, x):
    """pytorch-fid's InceptionV3 with output block 3: resize, 2x-1, the stem, the mixed blocks, the global average."""
    x = F.interpolate(x, size=(299, 299), mode="bilinear", align_corners=False)
    x = 2 * x - 1
    x = net.Conv2d_2b_3x3(net.Conv2d_2a_3x3(net.Conv2d_1a_3x3(x)))
    x = F.max_pool2d(x, 3, stride=2)
    x = net.Conv2d_4a_3x3(net.Conv2d_3b_1x1(x))
    x = F.max_pool2d(x, 3, stride=2)
    for name in ("5b", "5c", "5d", "6a", "6b", "6c", "6d", "6e", "7a", "7b", "7c"):
        x = getattr(net, "Mixed_" + name)(x)
    return F.adaptive_avg_pool2d(x, 1).flatten(1)


def fill_random(net):
    state = net.state_dict()
    offset = 0
    for key, tensor in state.items():
        if key.endswith("num_batches_tracked"):
            tensor.zero_()
            continue
        low, high = value_rule(key, tuple(tensor.shape))
        u = splitmix_uniform(WEIGHT_SEED, offset, tensor.numel())
        offset += tensor.numel()
        values = (low + (high - low) * u).astype(np.float32)
        tensor.copy_(torch.from_numpy(values.reshape(tuple(tensor.shape))))
    return offset


def fid_scipy(a, b):
    """Reference FID as pytorch-fid computes it: scipy.linalg.sqrtm of the covariance product, in float64."""
    mu1, mu2 = a.mean(0), b.mean(0)
    s1, s2 = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    covmean, _ = scipy.linalg.sqrtm(s1 @ s2, disp=False)
    covmean = covmean.real
    return float(((mu1 - mu2) ** 2).sum() + np.trace(s1) + np.trace(s2) - 2 * np.trace(covmean))


def kid_numpy(a, b):
    """Unbiased MMD^2 with the cubic polynomial kernel (x.y/d + 1)^3, one subset = all of both sets (equal sizes)."""
    d = a.shape[1]
    m = a.shape[0]
    kxx = (a @ a.T / d + 1) ** 3
    kyy = (b @ b.T / d + 1) ** 3
    kxy = (a @ b.T / d + 1) ** 3
    return float((kxx.sum() - np.trace(kxx)) / (m * (m - 1)) + (kyy.sum() - np.trace(kyy)) / (m * (m - 1)) - 2 * kxy.mean())


def stats_cases():
    """Small feature sets for FID/KID: correlated Gaussians of dimension 6 and 10, written out with their values."""
    rng = np.random.default_rng(11)
    cases = []
    for d, n1, n2, shift in ((6, 40, 50, 0.5), (10, 64, 64, 1.0)):
        mix1 = rng.normal(size=(d, d))
        mix2 = rng.normal(size=(d, d)) * 0.7
        a = rng.normal(size=(n1, d)) @ mix1
        b = rng.normal(size=(n2, d)) @ mix2 + shift
        case = {"a": a.tolist(), "b": b.tolist(), "fid": fid_scipy(a, b)}
        if n1 == n2:
            case["kid_full"] = kid_numpy(a, b)
        cases.append(case)
    return cases


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--output", default=os.path.join(os.path.dirname(__file__), "../../CycleGan.Tests/Evaluation/Fixtures"))
    parser.add_argument("--full-pth", help="also write the random-weights network as a .pth here (about 95 MB)")
    args = parser.parse_args()
    os.makedirs(args.output, exist_ok=True)
    torch.set_num_threads(max(1, os.cpu_count() or 1))

    net = fid_inception()
    total = fill_random(net)
    state = net.state_dict()
    with open(os.path.join(args.output, "fid_keys.txt"), "w") as f:
        for key, tensor in state.items():
            f.write(f"{key} {','.join(str(s) for s in tensor.shape)}\n")

    inputs = splitmix_uniform(INPUT_SEED, 0, int(np.prod(INPUT_SHAPE))).astype(np.float32).reshape(INPUT_SHAPE)
    with torch.no_grad():
        features = pool_features(net, torch.from_numpy(inputs)).numpy().astype("<f4")
    features.tofile(os.path.join(args.output, "fid_features.bin"))

    keyed = {k: torch.full(tuple(v.shape), (i + 1) / 1000.0, dtype=v.dtype) if v.is_floating_point() else torch.zeros_like(v)
             for i, (k, v) in enumerate(state.items())}
    buffer = io.BytesIO()
    torch.save(keyed, buffer)
    with gzip.open(os.path.join(args.output, "fid_keyed.pth.gz"), "wb", compresslevel=9) as f:
        f.write(buffer.getvalue())

    with open(os.path.join(args.output, "fid_stats.json"), "w") as f:
        json.dump({"cases": stats_cases()}, f)

    if args.full_pth:
        torch.save(state, args.full_pth)
    print(f"{len(state)} keys, {total} random values; features {features.shape}, "
          f"max |f| {np.abs(features).max():.4g}, mean {features.mean():.4g}")


if __name__ == "__main__":
    main()
