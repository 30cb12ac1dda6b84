#!/usr/bin/python3
"""Interop fixtures from real PyTorch (Debian's python3-torch 1.13 and python3-onnx; run with /usr/bin/python3).

    make_fixtures.py [--output DIR]
        Builds the PyTorch reference's generators, narrow enough to keep the files small (ResNet-9 with instance
        norm, U-Net-128 with batch norm), and writes for each: its state dict as the reference saves it (.pth), its
        eval-mode output for a small image (float32 raw, and the 8-bit PNG the reference's tensor2im + save_image
        would write), and PyTorch's own ONNX export of it (dynamic batch, height, width). manifest.json lists them.

    make_fixtures.py --check-ours EXPORT_DIR --config RUN/config.json [--onnx-dir DIR] [--result FILE]
        Loads the .pth files `cyclegan export --format pth` wrote into the reference architectures the config
        describes (strict: no missing or unexpected keys), runs onnx.checker on the .onnx files `cyclegan export
        --format onnx` wrote, and writes what it found (with each network's reference key list) as JSON.

The networks below follow the reference (pytorch-CycleGAN-and-pix2pix, models/networks.py): the same layers in the
same order, so the same state-dict keys and the same in-place activations (the U-Net's in-place LeakyReLU rewrites
the tensor its skip connection concatenates).
"""
import argparse
import functools
import json
import os
import sys

import numpy as np
import torch
import torch.nn as nn
from PIL import Image


def norm_layer(kind):
    if kind == "instance":
        return functools.partial(nn.InstanceNorm2d, affine=False, track_running_stats=False)
    if kind == "batch":
        return functools.partial(nn.BatchNorm2d, affine=True, track_running_stats=True)
    return lambda channels: nn.Identity()


class ResnetBlock(nn.Module):
    def __init__(self, dim, norm, use_dropout, bias):
        super().__init__()
        layers = [nn.ReflectionPad2d(1), nn.Conv2d(dim, dim, 3, padding=0, bias=bias), norm(dim), nn.ReLU(True)]
        if use_dropout:
            layers.append(nn.Dropout(0.5))
        layers += [nn.ReflectionPad2d(1), nn.Conv2d(dim, dim, 3, padding=0, bias=bias), norm(dim)]
        self.conv_block = nn.Sequential(*layers)

    def forward(self, x):
        return x + self.conv_block(x)


class ResnetGenerator(nn.Module):
    def __init__(self, input_nc, output_nc, ngf, norm_kind, use_dropout, n_blocks):
        super().__init__()
        norm, bias = norm_layer(norm_kind), norm_kind == "instance"
        layers = [nn.ReflectionPad2d(3), nn.Conv2d(input_nc, ngf, 7, padding=0, bias=bias), norm(ngf), nn.ReLU(True)]
        for i in range(2):
            mult = 2 ** i
            layers += [nn.Conv2d(ngf * mult, ngf * mult * 2, 3, stride=2, padding=1, bias=bias), norm(ngf * mult * 2), nn.ReLU(True)]
        for _ in range(n_blocks):
            layers.append(ResnetBlock(ngf * 4, norm, use_dropout, bias))
        for i in range(2):
            mult = 2 ** (2 - i)
            layers += [nn.ConvTranspose2d(ngf * mult, ngf * mult // 2, 3, stride=2, padding=1, output_padding=1, bias=bias),
                       norm(ngf * mult // 2), nn.ReLU(True)]
        layers += [nn.ReflectionPad2d(3), nn.Conv2d(ngf, output_nc, 7, padding=0), nn.Tanh()]
        self.model = nn.Sequential(*layers)

    def forward(self, x):
        return self.model(x)


class UnetSkipConnectionBlock(nn.Module):
    def __init__(self, outer_nc, inner_nc, input_nc=None, submodule=None, outermost=False, innermost=False,
                 norm=None, bias=False, use_dropout=False):
        super().__init__()
        self.outermost = outermost
        input_nc = outer_nc if input_nc is None else input_nc
        downconv = nn.Conv2d(input_nc, inner_nc, 4, stride=2, padding=1, bias=bias)
        if outermost:
            layers = [downconv, submodule, nn.ReLU(True), nn.ConvTranspose2d(inner_nc * 2, outer_nc, 4, stride=2, padding=1), nn.Tanh()]
        elif innermost:
            layers = [nn.LeakyReLU(0.2, True), downconv, nn.ReLU(True),
                      nn.ConvTranspose2d(inner_nc, outer_nc, 4, stride=2, padding=1, bias=bias), norm(outer_nc)]
        else:
            layers = [nn.LeakyReLU(0.2, True), downconv, norm(inner_nc), submodule, nn.ReLU(True),
                      nn.ConvTranspose2d(inner_nc * 2, outer_nc, 4, stride=2, padding=1, bias=bias), norm(outer_nc)]
            if use_dropout:
                layers.append(nn.Dropout(0.5))
        self.model = nn.Sequential(*layers)

    def forward(self, x):
        return self.model(x) if self.outermost else torch.cat([x, self.model(x)], 1)


class UnetGenerator(nn.Module):
    def __init__(self, input_nc, output_nc, num_downs, ngf, norm_kind, use_dropout):
        super().__init__()
        norm, bias = norm_layer(norm_kind), norm_kind == "instance"
        block = UnetSkipConnectionBlock(ngf * 8, ngf * 8, innermost=True, norm=norm, bias=bias)
        for _ in range(num_downs - 5):
            block = UnetSkipConnectionBlock(ngf * 8, ngf * 8, submodule=block, norm=norm, bias=bias, use_dropout=use_dropout)
        block = UnetSkipConnectionBlock(ngf * 4, ngf * 8, submodule=block, norm=norm, bias=bias)
        block = UnetSkipConnectionBlock(ngf * 2, ngf * 4, submodule=block, norm=norm, bias=bias)
        block = UnetSkipConnectionBlock(ngf, ngf * 2, submodule=block, norm=norm, bias=bias)
        self.model = UnetSkipConnectionBlock(output_nc, ngf, input_nc=input_nc, submodule=block, outermost=True, norm=norm, bias=bias)

    def forward(self, x):
        return self.model(x)


class NLayerDiscriminator(nn.Module):
    def __init__(self, input_nc, ndf, n_layers, norm_kind):
        super().__init__()
        norm, bias = norm_layer(norm_kind), norm_kind == "instance"
        layers = [nn.Conv2d(input_nc, ndf, 4, stride=2, padding=1), nn.LeakyReLU(0.2, True)]
        mult = 1
        for n in range(1, n_layers):
            prev, mult = mult, min(2 ** n, 8)
            layers += [nn.Conv2d(ndf * prev, ndf * mult, 4, stride=2, padding=1, bias=bias), norm(ndf * mult), nn.LeakyReLU(0.2, True)]
        prev, mult = mult, min(2 ** n_layers, 8)
        layers += [nn.Conv2d(ndf * prev, ndf * mult, 4, stride=1, padding=1, bias=bias), norm(ndf * mult), nn.LeakyReLU(0.2, True),
                   nn.Conv2d(ndf * mult, 1, 4, stride=1, padding=1)]
        self.model = nn.Sequential(*layers)

    def forward(self, x):
        return self.model(x)


class PixelDiscriminator(nn.Module):
    def __init__(self, input_nc, ndf, norm_kind):
        super().__init__()
        norm, bias = norm_layer(norm_kind), norm_kind == "instance"
        self.net = nn.Sequential(nn.Conv2d(input_nc, ndf, 1), nn.LeakyReLU(0.2, True), nn.Conv2d(ndf, ndf * 2, 1, bias=bias),
                                 norm(ndf * 2), nn.LeakyReLU(0.2, True), nn.Conv2d(ndf * 2, 1, 1, bias=bias))

    def forward(self, x):
        return self.net(x)


def generator(net_g, input_nc, output_nc, ngf, norm, use_dropout=False):
    if net_g.startswith("resnet_"):
        return ResnetGenerator(input_nc, output_nc, ngf, norm, use_dropout, 9 if net_g == "resnet_9blocks" else 6)
    return UnetGenerator(input_nc, output_nc, 7 if net_g == "unet_128" else 8, ngf, norm, use_dropout)


def discriminator(net_d, input_nc, ndf, n_layers, norm):
    if net_d == "pixel":
        return PixelDiscriminator(input_nc, ndf, norm)
    return NLayerDiscriminator(input_nc, ndf, 3 if net_d == "basic" else n_layers, norm)


def test_image(height, width, seed):
    """A small RGB image with smooth gradients, edges and noise, so every output pixel depends on real content."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width].astype(np.float64)
    r = 127 + 100 * np.sin(x / width * 2 * np.pi) * np.cos(y / height * np.pi)
    g = 255 * (x + y) / (width + height)
    b = np.where((x - width / 2) ** 2 + (y - height / 2) ** 2 < (min(width, height) / 3) ** 2, 220.0, 30.0)
    img = np.stack([r, g, b], axis=-1) + rng.normal(0, 12, (height, width, 3))
    return np.clip(np.round(img), 0, 255).astype(np.uint8)


def to_input(img):
    """The reference's test transform: ToTensor, then Normalize((0.5,)*3, (0.5,)*3)."""
    t = torch.from_numpy(img.astype(np.float32) / 255.0).permute(2, 0, 1)
    return ((t - 0.5) / 0.5).unsqueeze(0)


def tensor2im(t):
    """The reference's util.tensor2im: gray tiled to RGB, (x + 1) / 2 * 255, then astype(uint8), which truncates."""
    a = t[0].detach().cpu().float().numpy()
    if a.shape[0] == 1:
        a = np.tile(a, (3, 1, 1))
    return ((np.transpose(a, (1, 2, 0)) + 1) / 2.0 * 255.0).astype(np.uint8)


def make(out):
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(20)
    cases = [
        # name, netG, norm, ngf, output channels, image height, width (the U-Net narrower, and 3 -> 1 channel, to stay small)
        ("resnet9_instance", "resnet_9blocks", "instance", 4, 3, 32, 48),
        ("unet128_batch", "unet_128", "batch", 2, 1, 128, 128),
    ]
    manifest = {"torch": torch.__version__, "cases": []}
    for name, net_g, norm, ngf, output_nc, h, w in cases:
        net = generator(net_g, 3, output_nc, ngf, norm)  # PyTorch's default initialisation: outputs vary
        if norm == "batch":
            # running statistics away from 0 and 1 (a few training-mode passes), affine parameters away from 1 and 0
            net.train()
            with torch.no_grad():
                for _ in range(5):
                    net(torch.rand(2, 3, h, w) * 2 - 1)
                for m in net.modules():
                    if isinstance(m, nn.BatchNorm2d):
                        m.weight.uniform_(0.5, 1.5)
                        m.bias.uniform_(-0.2, 0.2)
        net.eval()
        torch.save(net.state_dict(), os.path.join(out, f"{name}.pth"))
        img = test_image(h, w, seed=len(name))
        Image.fromarray(img).save(os.path.join(out, f"{name}_input.png"))
        x = to_input(img)
        with torch.no_grad():
            y = net(x.clone())  # the clone: the U-Net's in-place LeakyReLU must not touch x
        y.numpy().astype("<f4").tofile(os.path.join(out, f"{name}_output.f32"))
        Image.fromarray(tensor2im(y)).save(os.path.join(out, f"{name}_output.png"))
        torch.onnx.export(net, x.clone(), os.path.join(out, f"{name}.onnx"), opset_version=17,
                          input_names=["input"], output_names=["output"],
                          dynamic_axes={"input": {0: "batch", 2: "height", 3: "width"}, "output": {0: "batch", 2: "height", 3: "width"}})
        manifest["cases"].append({"name": name, "netG": net_g, "norm": norm, "ngf": ngf, "input_nc": 3, "output_nc": output_nc,
                                  "height": h, "width": w, "output_shape": list(y.shape)})
        print(f"{name}: {net_g} ngf {ngf} norm {norm}, {h}x{w}, output std {y.std().item():.3f}")
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")


def read_config(path):
    """Our config.json (it may hold // comments, as our loader allows)."""
    with open(path) as f:
        lines = [l for l in f.read().splitlines() if not l.lstrip().startswith("//")]
    return json.loads("\n".join(lines))


def graph_structure(graph):
    """The graph as onnx reads it, without the weights' values: every node in order (operator, inputs, outputs,
    attributes), every initializer's name, type and shape, and the graph's outputs. The tests compare the graph our
    exporter makes today against this."""
    import onnx
    def value(a):
        v = onnx.helper.get_attribute_value(a)
        if isinstance(v, bytes):
            return v.decode()
        if isinstance(v, (list, tuple)):
            return [x.decode() if isinstance(x, bytes) else x for x in v]
        if isinstance(v, onnx.TensorProto):
            return {"dims": list(v.dims), "data_type": v.data_type}
        return v
    return {
        "nodes": [{"op": n.op_type, "inputs": list(n.input), "outputs": list(n.output),
                   "attributes": {a.name: value(a) for a in n.attribute}} for n in graph.node],
        "initializers": {t.name: {"dims": list(t.dims), "data_type": t.data_type} for t in graph.initializer},
        "outputs": [o.name for o in graph.output],
    }


def check_ours(export_dir, config_path, onnx_dir, result_path):
    cfg = read_config(config_path)
    model, data = cfg.get("model", {}), cfg.get("data", {})
    net_g, norm, ngf = model.get("netG", "resnet_9blocks"), model.get("norm", "instance"), model.get("ngf", 64)
    net_d, ndf, n_layers = model.get("netD", "basic"), model.get("ndf", 64), model.get("n_layers_D", 3)
    dropout = not model.get("no_dropout", True)
    a, b = data.get("input_nc", 3), data.get("output_nc", 3)
    nets = {
        "G_A": generator(net_g, a, b, ngf, norm, dropout), "G_B": generator(net_g, b, a, ngf, norm, dropout),
        "D_A": discriminator(net_d, b, ndf, n_layers, norm), "D_B": discriminator(net_d, a, ndf, n_layers, norm),
    }
    result = {"torch": torch.__version__, "config": {"netG": net_g, "norm": norm, "ngf": ngf, "netD": net_d, "ndf": ndf,
              "n_layers_D": n_layers, "input_nc": a, "output_nc": b, "dropout": dropout}, "pth": {}, "onnx": {}}
    ok = True
    for name, net in nets.items():
        path = os.path.join(export_dir, f"latest_net_{name}.pth")
        state = torch.load(path, map_location="cpu")
        missing, unexpected = net.load_state_dict(state, strict=False)
        shapes_differ = [k for k, v in net.state_dict().items() if k in state and tuple(state[k].shape) != tuple(v.shape)]
        good = not missing and not unexpected and not shapes_differ
        ok &= good
        result["pth"][name] = {"file": os.path.basename(path), "loads_strict": good, "missing": list(missing),
                               "unexpected": list(unexpected), "shape_mismatch": shapes_differ,
                               "reference_keys": list(net.state_dict().keys())}
        print(f"{name}: {'loads strictly' if good else 'DOES NOT LOAD'} ({len(state)} tensors)")
    if onnx_dir:
        import onnx
        for name in ("G_A", "G_B"):
            path = os.path.join(onnx_dir, f"{name}.onnx")
            m = onnx.load(path)
            try:
                onnx.checker.check_model(m, full_check=True)
                problem = None
            except Exception as e:  # the checker's own exception types vary across versions
                problem = str(e)
            ok &= problem is None
            shape = [d.dim_param or d.dim_value for d in m.graph.input[0].type.tensor_type.shape.dim]
            result["onnx"][name] = {"file": os.path.basename(path), "checker": problem or "ok", "opset": m.opset_import[0].version,
                                    "input": m.graph.input[0].name, "input_shape": shape,
                                    "metadata": sorted(p.key for p in m.metadata_props), "graph": graph_structure(m.graph)}
            print(f"{name}.onnx: onnx.checker {problem or 'ok'}")
    result["ok"] = bool(ok)
    with open(result_path, "w") as f:
        json.dump(result, f, indent=2)
        f.write("\n")
    return 0 if ok else 1


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default_out = os.path.normpath(os.path.join(here, "..", "..", "CycleGan.Tests", "Export", "Fixtures"))
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--output", default=default_out)
    p.add_argument("--check-ours")
    p.add_argument("--config")
    p.add_argument("--onnx-dir")
    p.add_argument("--result")
    args = p.parse_args()
    if args.check_ours:
        if not args.config:
            p.error("--check-ours needs --config (the run's config.json)")
        return check_ours(args.check_ours, args.config, args.onnx_dir, args.result or os.path.join(args.output, "ours_check.json"))
    make(args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
