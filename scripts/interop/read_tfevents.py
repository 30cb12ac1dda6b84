#!/usr/bin/python3
"""Prints the wall time, step and kind of the records of a TensorBoard event file (no TensorBoard needed): to see the
first record's wall time that TorchSharp's SummaryWriter writes (see README, "TensorBoard wall times").
   read_tfevents.py runs/NAME/tensorboard/events.out.tfevents.*"""
import struct, sys
def varint(b, i):
    r = s = 0
    while True:
        c = b[i]; i += 1; r |= (c & 0x7f) << s; s += 7
        if c < 0x80: return r, i
def events(path):
    data = open(path, 'rb').read(); i = 0
    while i < len(data):
        n = struct.unpack_from('<Q', data, i)[0]; i += 12
        yield data[i:i+n]; i += n + 4
for k, ev in enumerate(events(sys.argv[1])):
    i = 0; wall = step = None; kind = []
    while i < len(ev):
        key, i = varint(ev, i); f, t = key >> 3, key & 7
        if t == 1: v = struct.unpack_from('<d', ev, i)[0]; i += 8; wall = v if f == 1 else wall
        elif t == 0: v, i = varint(ev, i); step = v if f == 2 else step
        elif t == 2: n, i = varint(ev, i); kind.append({3: 'file_version', 5: 'summary'}.get(f, f)); i += n
        elif t == 5: i += 4
    if k < 4 or k % 50 == 0: print(k, wall, step, kind)
