#!/usr/bin/python3
"""A small Fashion-MNIST classifier that judges translations: the share of translated test images that it assigns to
the target class, per direction. Not part of the product: it measures a training run's quality (README, "bfloat16
convolutions": fp32 against bf16 on sneaker <-> ankle boot).

    /usr/bin/python3 scripts/fashion_mnist_judge.py train MODEL.pt [--source /usr/share/datasets/fashion-mnist]
    /usr/bin/python3 scripts/fashion_mnist_judge.py judge MODEL.pt FOLDER CLASS [FOLDER CLASS]...

train fits a two-convolution network on the 60,000 training images (2 epochs, seed 0) and prints its accuracy on the
10,000 test images; judge loads it and, for each folder of translated images (grayscale or RGB PNGs, 28x28 or resized
to it), prints the share classified as CLASS (a Fashion-MNIST class name or index).
"""

import argparse
import gzip
import os
import sys

import numpy as np
import torch
from PIL import Image
from torch import nn

CLASSES = ["t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle-boot"]


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def network():
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 7 * 7, 128), nn.ReLU(), nn.Linear(128, 10))


def to_input(images):
    # the same scaling as the translations: [0, 255] -> [-1, 1]
    return torch.from_numpy(images.astype(np.float32) / 127.5 - 1).unsqueeze(1)


def train(model_path, source):
    torch.manual_seed(0)
    x = to_input(read_idx(os.path.join(source, "train-images-idx3-ubyte.gz")))
    y = torch.from_numpy(read_idx(os.path.join(source, "train-labels-idx1-ubyte.gz")).astype(np.int64))
    net = network()
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    for epoch in range(2):
        order = torch.randperm(len(x))
        for i in range(0, len(x), 128):
            idx = order[i:i + 128]
            opt.zero_grad()
            nn.functional.cross_entropy(net(x[idx]), y[idx]).backward()
            opt.step()
    tx = to_input(read_idx(os.path.join(source, "t10k-images-idx3-ubyte.gz")))
    ty = torch.from_numpy(read_idx(os.path.join(source, "t10k-labels-idx1-ubyte.gz")).astype(np.int64))
    with torch.no_grad():
        accuracy = (net(tx).argmax(1) == ty).float().mean().item()
    torch.save(net.state_dict(), model_path)
    print(f"test accuracy {100 * accuracy:.1f}% (10,000 Fashion-MNIST test images)")


def judge(model_path, pairs):
    net = network()
    net.load_state_dict(torch.load(model_path))
    net.eval()
    for folder, target in zip(pairs[::2], pairs[1::2]):
        cls = int(target) if target.isdigit() else CLASSES.index(target)
        names = sorted(n for n in os.listdir(folder) if n.lower().endswith(".png"))
        if not names:
            sys.exit(f"error: no PNG images in {folder}")
        images = np.stack([np.asarray(Image.open(os.path.join(folder, n)).convert("L").resize((28, 28))) for n in names])
        with torch.no_grad():
            share = (net(to_input(images)).argmax(1) == cls).float().mean().item()
        print(f"{folder}: {100 * share:.1f}% of {len(names)} classified {CLASSES[cls]}")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("command", choices=["train", "judge"])
    p.add_argument("model")
    p.add_argument("rest", nargs="*")
    p.add_argument("--source", default="/usr/share/datasets/fashion-mnist")
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    if a.command == "train":
        train(a.model, a.source)
    elif len(a.rest) % 2 or not a.rest:
        sys.exit("error: judge needs FOLDER CLASS pairs")
    else:
        judge(a.model, a.rest)


if __name__ == "__main__":
    main()
