#!/usr/bin/python3
"""Inputs and the PyTorch side of scripts/bench_translate_sizes.sh (run with /usr/bin/python3, Debian's torch 1.13).

    bench_translate_sizes.py make DIR SIZE...    writes DIR/G.pth (a ResNet-9 generator, ngf 64, instance norm, as the
                                                 reference builds and saves it, random weights) and DIR/photo_SIZE.png
    bench_translate_sizes.py translate DIR SIZE  what the reference's test.py does to one image, in a process of its
                                                 own: load G.pth, eval, no_grad forward, save the PNG
"""
import os
import sys

import numpy as np
import torch
from PIL import Image

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "interop"))
import make_fixtures as ref  # noqa: E402


def make(folder, sizes):
    os.makedirs(folder, exist_ok=True)
    torch.manual_seed(14)
    g = ref.generator("resnet_9blocks", 3, 3, 64, "instance")
    for name, p in g.named_parameters():  # the reference's init: normal(0, 0.02) weights, zero biases
        if name.endswith("weight"):
            torch.nn.init.normal_(p, 0.0, 0.02)
        else:
            torch.nn.init.zeros_(p)
    torch.save(g.state_dict(), os.path.join(folder, "G.pth"))
    for s in sizes:
        Image.fromarray(ref.test_image(s, s, s)).save(os.path.join(folder, f"photo_{s}.png"))


def translate(folder, size):
    torch.set_num_threads(os.cpu_count())
    g = ref.generator("resnet_9blocks", 3, 3, 64, "instance")
    g.load_state_dict(torch.load(os.path.join(folder, "G.pth")))
    g.eval()
    img = np.array(Image.open(os.path.join(folder, f"photo_{size}.png")).convert("RGB"))
    with torch.no_grad():
        out = g(ref.to_input(img))
    Image.fromarray(ref.tensor2im(out)).save(os.path.join(folder, f"pytorch_{size}.png"))


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2], [int(s) for s in sys.argv[3:]])
    else:
        translate(sys.argv[2], int(sys.argv[3]))
