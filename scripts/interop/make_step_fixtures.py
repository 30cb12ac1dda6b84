#!/usr/bin/python3
"""Golden fixtures for the training step: the PyTorch reference's CycleGAN iteration, replayed in float64.

Builds, with real PyTorch, the CycleGAN of pytorch-CycleGAN-and-pix2pix as its networks.py and cycle_gan_model.py
define it (ResnetGenerator, UnetGenerator, NLayerDiscriminator, GANLoss, ImagePool, Adam(lr, betas=(beta1, 0.999)),
optimize_parameters: forward, the generators' update with the discriminators frozen, then the discriminators'
update on half-weighted real and fake losses), at tiny sizes and in float64; starts it from fixed weights, feeds it
fixed batches for K iterations and records every loss of every iteration, every weight and buffer after the last
one and, for some cases, Adam's moments. CycleGan.Tests/Training/ReferenceStep/ReferenceStepTests.cs replays the
same cases with the trainer's CycleGanModel and must agree to float64 rounding.

Written from the reference's documented behaviour, not copied from it. Run with Debian's PyTorch:

    /usr/bin/python3 scripts/interop/make_step_fixtures.py [--out CycleGan.Tests/Training/StepFixtures]

Output: cases.json (each case's settings) and one CASE.pth per case, a flat state dict (loadable by
TorchSharp.PyBridge) with the keys
    init.NET.KEY / final.NET.KEY   the networks' state dicts (NET in G_A, G_B, D_A, D_B) before the first and after
                                   the last iteration; init values are float32-representable, stored as float32
    batch.I.A / batch.I.B          iteration I's input batches as uint8 pixels; an image is pixels / 127.5 - 1
    losses                         K x 8 float64, columns D_A, G_A, cycle_A, idt_A, D_B, G_B, cycle_B, idt_B
    adam.OPT.exp_avg.NET.KEY       (cases with "adam": true) Adam's moments after the last iteration, OPT in G, D
    adam.OPT.exp_avg_sq.NET.KEY
"""

import argparse
import collections
import functools
import itertools
import json
import os
import random

import torch
import torch.nn as nn

K = 3
LOSS_NAMES = ["D_A", "G_A", "cycle_A", "idt_A", "D_B", "G_B", "cycle_B", "idt_B"]

# A covering set, not every combination: each GAN mode, identity on and off, batch 1 and 2, both generators, both
# norms, a pool that is off and one that stays below its size, lambda_A != lambda_B (a swapped lambda shows), a
# learning rate and beta1 other than the defaults (a setting that never reaches Adam shows), and unequal channel
# counts (a discriminator fed the wrong domain shows). Widths are tiny so the fixtures stay small; the U-Net is the
# reference's UnetGenerator with num_downs 5, which takes 32-pixel images.
BASE = dict(netG="resnet", n_blocks=1, num_downs=0, ngf=2, ndf=2, n_layers_D=2, norm="instance", gan_mode="lsgan",
            lambda_A=10.0, lambda_B=6.0, lambda_identity=0.5, lr=0.0002, beta1=0.5, beta2=0.999, pool_size=50,
            batch_size=1, size=16, input_nc=3, output_nc=3, adam=False)
CASES = [
    dict(name="lsgan_resnet_instance_idt_b1", adam=True),
    dict(name="vanilla_resnet_instance_noidt_b2", gan_mode="vanilla", lambda_identity=0.0, batch_size=2, pool_size=0),
    dict(name="wgangp_resnet_instance_idt_b2", gan_mode="wgangp", lambda_identity=0.3, batch_size=2),
    dict(name="lsgan_resnet_batch_idt_b2", norm="batch", batch_size=2, lr=0.001, beta1=0.9, adam=True,
         n_layers_D=1),
    dict(name="wgangp_resnet_batch_noidt_b1_3to1", norm="batch", gan_mode="wgangp", lambda_identity=0.0, output_nc=1,
         n_layers_D=1),
    dict(name="lsgan_unet_instance_idt_b1", netG="unet", num_downs=5, ngf=1, size=32, lambda_A=7.0,
         lambda_B=10.0),
    dict(name="vanilla_unet_batch_noidt_b2", netG="unet", num_downs=5, ngf=1, size=32, norm="batch",
         gan_mode="vanilla", lambda_identity=0.0, batch_size=2, pool_size=0),
]


# ---- networks.py, as the reference defines them ---------------------------------------------------------------

class Identity(nn.Module):
    def forward(self, x):
        return x


def get_norm_layer(norm_type):
    if norm_type == "batch":
        return functools.partial(nn.BatchNorm2d, affine=True, track_running_stats=True)
    if norm_type == "instance":
        return functools.partial(nn.InstanceNorm2d, affine=False, track_running_stats=False)
    return lambda x: Identity()


def uses_bias(norm_layer):
    # The reference's test: convolutions carry a bias only when the norm is InstanceNorm2d.
    if isinstance(norm_layer, functools.partial):
        return norm_layer.func == nn.InstanceNorm2d
    return norm_layer == nn.InstanceNorm2d


class ResnetBlock(nn.Module):
    def __init__(self, dim, norm_layer, use_bias):
        super().__init__()
        self.conv_block = nn.Sequential(
            nn.ReflectionPad2d(1), nn.Conv2d(dim, dim, kernel_size=3, padding=0, bias=use_bias), norm_layer(dim),
            nn.ReLU(True),
            nn.ReflectionPad2d(1), nn.Conv2d(dim, dim, kernel_size=3, padding=0, bias=use_bias), norm_layer(dim))

    def forward(self, x):
        return x + self.conv_block(x)


class ResnetGenerator(nn.Module):
    def __init__(self, input_nc, output_nc, ngf, norm_layer, n_blocks):
        super().__init__()
        use_bias = uses_bias(norm_layer)
        model = [nn.ReflectionPad2d(3), nn.Conv2d(input_nc, ngf, kernel_size=7, padding=0, bias=use_bias),
                 norm_layer(ngf), nn.ReLU(True)]
        for i in range(2):
            mult = 2 ** i
            model += [nn.Conv2d(ngf * mult, ngf * mult * 2, kernel_size=3, stride=2, padding=1, bias=use_bias),
                      norm_layer(ngf * mult * 2), nn.ReLU(True)]
        for _ in range(n_blocks):
            model += [ResnetBlock(ngf * 4, norm_layer, use_bias)]
        for i in range(2):
            mult = 2 ** (2 - i)
            model += [nn.ConvTranspose2d(ngf * mult, ngf * mult // 2, kernel_size=3, stride=2, padding=1,
                                         output_padding=1, bias=use_bias),
                      norm_layer(ngf * mult // 2), nn.ReLU(True)]
        model += [nn.ReflectionPad2d(3), nn.Conv2d(ngf, output_nc, kernel_size=7, padding=0), nn.Tanh()]
        self.model = nn.Sequential(*model)

    def forward(self, x):
        return self.model(x)


class UnetSkipConnectionBlock(nn.Module):
    def __init__(self, outer_nc, inner_nc, input_nc=None, submodule=None, outermost=False, innermost=False,
                 norm_layer=nn.BatchNorm2d):
        super().__init__()
        self.outermost = outermost
        use_bias = uses_bias(norm_layer)
        if input_nc is None:
            input_nc = outer_nc
        downconv = nn.Conv2d(input_nc, inner_nc, kernel_size=4, stride=2, padding=1, bias=use_bias)
        # In place, as the reference: the skip connection below therefore carries the LeakyReLU'd input.
        downrelu = nn.LeakyReLU(0.2, True)
        downnorm = norm_layer(inner_nc)
        uprelu = nn.ReLU(True)
        upnorm = norm_layer(outer_nc)
        if outermost:
            upconv = nn.ConvTranspose2d(inner_nc * 2, outer_nc, kernel_size=4, stride=2, padding=1)
            model = [downconv, submodule, uprelu, upconv, nn.Tanh()]
        elif innermost:
            upconv = nn.ConvTranspose2d(inner_nc, outer_nc, kernel_size=4, stride=2, padding=1, bias=use_bias)
            model = [downrelu, downconv, uprelu, upconv, upnorm]
        else:
            upconv = nn.ConvTranspose2d(inner_nc * 2, outer_nc, kernel_size=4, stride=2, padding=1, bias=use_bias)
            model = [downrelu, downconv, downnorm, submodule, uprelu, upconv, upnorm]
        self.model = nn.Sequential(*model)

    def forward(self, x):
        if self.outermost:
            return self.model(x)
        return torch.cat([x, self.model(x)], 1)


class UnetGenerator(nn.Module):
    def __init__(self, input_nc, output_nc, num_downs, ngf, norm_layer):
        super().__init__()
        block = UnetSkipConnectionBlock(ngf * 8, ngf * 8, norm_layer=norm_layer, innermost=True)
        for _ in range(num_downs - 5):
            block = UnetSkipConnectionBlock(ngf * 8, ngf * 8, submodule=block, norm_layer=norm_layer)
        block = UnetSkipConnectionBlock(ngf * 4, ngf * 8, submodule=block, norm_layer=norm_layer)
        block = UnetSkipConnectionBlock(ngf * 2, ngf * 4, submodule=block, norm_layer=norm_layer)
        block = UnetSkipConnectionBlock(ngf, ngf * 2, submodule=block, norm_layer=norm_layer)
        self.model = UnetSkipConnectionBlock(output_nc, ngf, input_nc=input_nc, submodule=block, outermost=True,
                                             norm_layer=norm_layer)

    def forward(self, x):
        return self.model(x)


class NLayerDiscriminator(nn.Module):
    def __init__(self, input_nc, ndf, n_layers, norm_layer):
        super().__init__()
        use_bias = uses_bias(norm_layer)
        seq = [nn.Conv2d(input_nc, ndf, kernel_size=4, stride=2, padding=1), nn.LeakyReLU(0.2, True)]
        mult = 1
        for n in range(1, n_layers):
            prev, mult = mult, min(2 ** n, 8)
            seq += [nn.Conv2d(ndf * prev, ndf * mult, kernel_size=4, stride=2, padding=1, bias=use_bias),
                    norm_layer(ndf * mult), nn.LeakyReLU(0.2, True)]
        prev, mult = mult, min(2 ** n_layers, 8)
        seq += [nn.Conv2d(ndf * prev, ndf * mult, kernel_size=4, stride=1, padding=1, bias=use_bias),
                norm_layer(ndf * mult), nn.LeakyReLU(0.2, True),
                nn.Conv2d(ndf * mult, 1, kernel_size=4, stride=1, padding=1)]
        self.model = nn.Sequential(*seq)

    def forward(self, x):
        return self.model(x)


class GANLoss(nn.Module):
    def __init__(self, gan_mode):
        super().__init__()
        self.register_buffer("real_label", torch.tensor(1.0))
        self.register_buffer("fake_label", torch.tensor(0.0))
        self.gan_mode = gan_mode
        self.loss = {"lsgan": nn.MSELoss(), "vanilla": nn.BCEWithLogitsLoss(), "wgangp": None}[gan_mode]

    def __call__(self, prediction, target_is_real):
        if self.gan_mode == "wgangp":
            # The reference's cycle_gan model adds no gradient penalty: the critic's loss alone.
            return -prediction.mean() if target_is_real else prediction.mean()
        target = (self.real_label if target_is_real else self.fake_label).expand_as(prediction)
        return self.loss(prediction, target)


class ImagePool:
    def __init__(self, pool_size, rng):
        self.pool_size = pool_size
        self.images = []
        self.rng = rng

    def query(self, images):
        if self.pool_size == 0:
            return images
        out = []
        for image in images:
            image = torch.unsqueeze(image.data, 0)
            if len(self.images) < self.pool_size:
                self.images.append(image)
                out.append(image)
            elif self.rng.uniform(0, 1) > 0.5:
                slot = self.rng.randint(0, self.pool_size - 1)
                out.append(self.images[slot].clone())
                self.images[slot] = image
            else:
                out.append(image)
        return torch.cat(out, 0)


def set_requires_grad(nets, requires_grad):
    for net in nets:
        for p in net.parameters():
            p.requires_grad = requires_grad


# ---- cycle_gan_model.py's training step ------------------------------------------------------------------------

class CycleGAN:
    def __init__(self, c, nets):
        self.c = c
        self.netG_A, self.netG_B, self.netD_A, self.netD_B = nets
        self.criterionGAN = GANLoss(c["gan_mode"]).to(torch.float64)
        self.criterionCycle = nn.L1Loss()
        self.criterionIdt = nn.L1Loss()
        betas = (c["beta1"], c["beta2"])
        self.optimizer_G = torch.optim.Adam(itertools.chain(self.netG_A.parameters(), self.netG_B.parameters()),
                                            lr=c["lr"], betas=betas)
        self.optimizer_D = torch.optim.Adam(itertools.chain(self.netD_A.parameters(), self.netD_B.parameters()),
                                            lr=c["lr"], betas=betas)
        # The pools stay below their size (or are off), so the coin flips are never reached.
        rng = random.Random(0)
        self.fake_A_pool = ImagePool(c["pool_size"], rng)
        self.fake_B_pool = ImagePool(c["pool_size"], rng)

    def forward(self):
        self.fake_B = self.netG_A(self.real_A)
        self.rec_A = self.netG_B(self.fake_B)
        self.fake_A = self.netG_B(self.real_B)
        self.rec_B = self.netG_A(self.fake_A)

    def backward_D_basic(self, netD, real, fake):
        loss_real = self.criterionGAN(netD(real), True)
        loss_fake = self.criterionGAN(netD(fake.detach()), False)
        loss = (loss_real + loss_fake) * 0.5
        loss.backward()
        return loss

    def backward_G(self):
        lambda_idt, lambda_A, lambda_B = self.c["lambda_identity"], self.c["lambda_A"], self.c["lambda_B"]
        if lambda_idt > 0:
            self.idt_A = self.netG_A(self.real_B)
            self.loss_idt_A = self.criterionIdt(self.idt_A, self.real_B) * lambda_B * lambda_idt
            self.idt_B = self.netG_B(self.real_A)
            self.loss_idt_B = self.criterionIdt(self.idt_B, self.real_A) * lambda_A * lambda_idt
        else:
            self.loss_idt_A = 0
            self.loss_idt_B = 0
        self.loss_G_A = self.criterionGAN(self.netD_A(self.fake_B), True)
        self.loss_G_B = self.criterionGAN(self.netD_B(self.fake_A), True)
        self.loss_cycle_A = self.criterionCycle(self.rec_A, self.real_A) * lambda_A
        self.loss_cycle_B = self.criterionCycle(self.rec_B, self.real_B) * lambda_B
        self.loss_G = (self.loss_G_A + self.loss_G_B + self.loss_cycle_A + self.loss_cycle_B + self.loss_idt_A
                       + self.loss_idt_B)
        self.loss_G.backward()

    def optimize_parameters(self, real_A, real_B):
        self.real_A, self.real_B = real_A, real_B
        self.forward()
        set_requires_grad([self.netD_A, self.netD_B], False)
        self.optimizer_G.zero_grad()
        self.backward_G()
        self.optimizer_G.step()
        set_requires_grad([self.netD_A, self.netD_B], True)
        self.optimizer_D.zero_grad()
        self.loss_D_A = self.backward_D_basic(self.netD_A, self.real_B, self.fake_B_pool.query(self.fake_B))
        self.loss_D_B = self.backward_D_basic(self.netD_B, self.real_A, self.fake_A_pool.query(self.fake_A))
        self.optimizer_D.step()
        return [float(getattr(self, "loss_" + n)) for n in LOSS_NAMES]


# ---- the fixtures ----------------------------------------------------------------------------------------------

def build(c):
    norm = get_norm_layer(c["norm"])
    a, b = c["input_nc"], c["output_nc"]
    if c["netG"] == "resnet":
        g = lambda i, o: ResnetGenerator(i, o, c["ngf"], norm, c["n_blocks"])  # noqa: E731
    else:
        g = lambda i, o: UnetGenerator(i, o, c["num_downs"], c["ngf"], norm)  # noqa: E731
    d = lambda i: NLayerDiscriminator(i, c["ndf"], c["n_layers_D"], norm)  # noqa: E731
    return [g(a, b), g(b, a), d(b), d(a)]


def fixed_weights(net, gen):
    """Wider than the reference's normal(0, 0.02) so that every layer shapes the output, and float32-representable so
    that the fixture can store them as float32. (The reference's init scheme is checked elsewhere, not here.)"""
    with torch.no_grad():
        for name, t in net.state_dict().items():
            if t.dtype == torch.int64:  # num_batches_tracked: a count that the step must advance
                t.fill_(3)
                continue
            leaf = name.rsplit(".", 1)[1]
            if leaf == "weight" and t.dim() == 4:
                fan_in = t[0].numel()
                v = torch.randn(t.shape, generator=gen, dtype=torch.float64) / fan_in ** 0.5
            elif leaf == "weight":  # BatchNorm's scale
                v = 1 + 0.2 * torch.randn(t.shape, generator=gen, dtype=torch.float64)
            elif leaf == "running_var":
                v = 0.5 + torch.rand(t.shape, generator=gen, dtype=torch.float64)
            else:  # biases, BatchNorm's shift and running_mean
                v = 0.1 * torch.randn(t.shape, generator=gen, dtype=torch.float64)
            t.copy_(v.float().double())


def flat(prefix, state):
    return {f"{prefix}.{k}": v.detach().clone().contiguous() for k, v in state.items()}


def make_case(spec, seed):
    c = dict(name=spec["name"], **{k: v for k, v in BASE.items()})
    c.update(spec)
    gen = torch.Generator().manual_seed(seed)
    nets = [n.to(torch.float64).train() for n in build(c)]
    for net in nets:
        fixed_weights(net, gen)
    names = ["G_A", "G_B", "D_A", "D_B"]
    out = collections.OrderedDict()
    for n, net in zip(names, nets):
        init = flat("init." + n, net.state_dict())
        out.update({k: v.float() if v.is_floating_point() else v for k, v in init.items()})

    model = CycleGAN(c, nets)
    bs, s = c["batch_size"], c["size"]
    losses = []
    for i in range(K):
        pa = torch.randint(0, 256, (bs, c["input_nc"], s, s), generator=gen, dtype=torch.uint8)
        pb = torch.randint(0, 256, (bs, c["output_nc"], s, s), generator=gen, dtype=torch.uint8)
        out[f"batch.{i}.A"], out[f"batch.{i}.B"] = pa, pb
        losses.append(model.optimize_parameters(pa.double() / 127.5 - 1, pb.double() / 127.5 - 1))
    out["losses"] = torch.tensor(losses, dtype=torch.float64)
    for n, net in zip(names, nets):
        out.update(flat("final." + n, net.state_dict()))
    if c["adam"]:
        for opt_name, opt, group in (("G", model.optimizer_G, names[:2]), ("D", model.optimizer_D, names[2:])):
            for n in group:
                net = nets[names.index(n)]
                for k, p in net.named_parameters():
                    for moment in ("exp_avg", "exp_avg_sq"):
                        out[f"adam.{opt_name}.{moment}.{n}.{k}"] = opt.state[p][moment].detach().clone()
    return c, out, losses


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument("--out", default=os.path.join(here, "..", "..", "CycleGan.Tests", "Training", "StepFixtures"))
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    torch.set_num_threads(1)  # one summation order, so a rerun writes the same bytes
    settings = []
    for seed, spec in enumerate(CASES, start=1500):
        c, out, losses = make_case(spec, seed)
        torch.save(out, os.path.join(args.out, c["name"] + ".pth"))
        settings.append(c)
        print(c["name"], " ".join(f"{v:.6f}" for v in losses[-1]))
    with open(os.path.join(args.out, "cases.json"), "w") as f:
        head = json.dumps({"iterations": K, "loss_names": LOSS_NAMES, "torch": torch.__version__})[:-1]
        f.write(head + ', "cases": [\n  ' + ",\n  ".join(json.dumps(c) for c in settings) + "\n]}\n")


if __name__ == "__main__":
    main()
