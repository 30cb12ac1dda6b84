#!/usr/bin/python3
"""Two folders of images with the same names: max and mean |a - b| in 8-bit levels over every pixel and channel.

    /usr/bin/python3 scripts/compare_images.py FOLDER_A FOLDER_B
"""

import os
import sys

import numpy as np
from PIL import Image


def main():
    a, b = sys.argv[1], sys.argv[2]
    names = sorted(os.listdir(a))
    if not names or sorted(os.listdir(b)) != names:
        sys.exit(f"error: {a} and {b} must hold the same, non-empty set of images")
    worst, total, count, differing = 0, 0.0, 0, 0
    for name in names:
        x = np.asarray(Image.open(os.path.join(a, name)), dtype=np.int32)
        y = np.asarray(Image.open(os.path.join(b, name)), dtype=np.int32)
        if x.shape != y.shape:
            sys.exit(f"error: {name} is {x.shape} in {a} but {y.shape} in {b}")
        d = np.abs(x - y)
        worst, total, count, differing = max(worst, int(d.max())), total + float(d.sum()), count + d.size, differing + int((d > 0).sum())
    print(f"{len(names)} images, {count} values: max {worst} levels, mean {total / count:.3f} levels, {100 * differing / count:.1f}% of values differ")


if __name__ == "__main__":
    main()
