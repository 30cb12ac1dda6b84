#!/usr/bin/python3
"""The speed peer: the PyTorch reference's CycleGAN training step, timed on the same work as `cyclegan bench-onednn`.

ResNet-9 generators and 3-layer PatchGAN discriminators (ngf = ndf), LSGAN, identity 0.5, pool 50, Adam, batch 1,
random images, float32, the reference's optimize_parameters as scripts/interop/make_step_fixtures.py writes it.
Each round times --iterations steps after one untimed step; the fastest round counts, as in bench-onednn.
With --bf16 each round also times the step under torch.cpu.amp.autocast(dtype=torch.bfloat16), the way a PyTorch
user gets bfloat16 convolutions on the CPU, alternating with the float32 step.

    /usr/bin/python3 scripts/bench_pytorch_step.py [--size 128] [--ngf 64] [--rounds 3] [--iterations 3] [--threads 2] [--bf16]
"""

import argparse
import os
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "interop"))
import make_step_fixtures as ref  # noqa: E402


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--size", type=int, default=128)
    p.add_argument("--ngf", type=int, default=64)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--iterations", type=int, default=3)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--bf16", action="store_true", help="also time the step under CPU autocast to bfloat16")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    c = dict(ref.BASE, netG="resnet", n_blocks=9, ngf=a.ngf, ndf=a.ngf, n_layers_D=3, size=a.size, lambda_B=10.0)
    nets = ref.build(c)
    for net in nets:
        for name, t in net.named_parameters():
            with torch.no_grad():
                t.normal_(1.0 if t.dim() == 1 and name.endswith("weight") else 0.0, 0.02)
    model = ref.CycleGAN(c, nets)
    model.criterionGAN = ref.GANLoss("lsgan")  # the fixtures' copy is float64
    gen = torch.Generator().manual_seed(2)
    real_a = torch.rand(1, 3, a.size, a.size, generator=gen) * 2 - 1
    real_b = torch.rand(1, 3, a.size, a.size, generator=gen) * 2 - 1
    print(f"PyTorch {torch.__version__}, mkldnn {torch.backends.mkldnn.is_available()}, {torch.get_num_threads()} threads; "
          f"CycleGAN step, ResNet-9 G and 3-layer PatchGAN D, ngf = ndf = {a.ngf}, {a.size}x{a.size}, batch 1")
    modes = ["fp32", "bf16 autocast"] if a.bf16 else ["fp32"]
    best = {m: float("inf") for m in modes}
    for r in range(1, a.rounds + 1):
        for m in modes:
            with torch.cpu.amp.autocast(enabled=m != "fp32", dtype=torch.bfloat16):
                model.optimize_parameters(real_a, real_b)
                start = time.perf_counter()
                for _ in range(a.iterations):
                    model.optimize_parameters(real_a, real_b)
                best[m] = min(best[m], (time.perf_counter() - start) / a.iterations)
        print(f"  round {r}: " + ", ".join(f"{m} {best[m]:.3f} s/step" for m in modes) + " (fastest so far)")
    for m in modes:
        print(f"  PyTorch reference step, {m}: {best[m]:.3f} s/step")
    if a.bf16:
        print(f"  bf16 autocast / fp32: {best['bf16 autocast'] / best['fp32']:.3f}")


if __name__ == "__main__":
    main()
