using CycleGan.App.Layers;
using CycleGan.Kernels;

namespace CycleGan.App.Verification.Catalogue;

public sealed class Conv2dEntry : LayerEntry
{
    public override string Name => "Conv2d";

    public override string Construction =>
        "Layers.Conv2d -> nn.functional.conv2d (zeros, symmetric); nn.functional.pad then conv2d for 'same' asymmetry and reflect/replicate/circular";

    public override string ReferenceKernel => $"{nameof(Conv2dKernel)} + {nameof(Pad2dKernel)}";

    public override string Parameters =>
        "in_channels, out_channels, kernel_size, stride=1, padding=0|(h,w)|'same'|'valid', dilation=1, groups=1, bias=True, padding_mode=zeros|reflect|replicate|circular";

    private sealed record Config(int In, int Out, Size2 Kernel, Size2 Stride, ConvPadding Padding, Size2 Dilation, int Groups, bool Bias, string Mode, int[] InputShape)
    {
        public override string ToString() =>
            $"{In}->{Out} k{Kernel} s{Stride} p{Padding} d{Dilation} g{Groups}{(Bias ? string.Empty : " nobias")} {Mode} [{string.Join(",", InputShape)}]";
    }

    private static IEnumerable<Config> Configs(Random r)
    {
        yield return new(3, 4, 3, 1, 1, 1, 1, true, "zeros", [2, 3, 7, 6]);
        // the design's example, scaled down: kernel (3,5), stride (2,1), padding (4,2), dilation (3,1)
        yield return new(4, 5, (3, 5), (2, 1), (4, 2), (3, 1), 1, true, "zeros", [2, 4, 13, 11]);
        yield return new(2, 3, 4, 1, "same", 2, 1, true, "zeros", [1, 2, 9, 8]);
        yield return new(2, 3, (2, 3), 1, "same", 1, 1, false, "zeros", [2, 2, 5, 7]);
        yield return new(3, 2, (3, 2), (1, 2), "valid", 1, 1, true, "zeros", [2, 3, 6, 9]);
        yield return new(4, 6, 3, 2, 1, 1, 2, true, "zeros", [2, 4, 9, 7]);
        yield return new(4, 8, 3, 1, 1, 1, 4, true, "zeros", [1, 4, 6, 5]); // depthwise
        yield return new(3, 4, 3, 1, (1, 2), 1, 1, true, "reflect", [2, 3, 6, 7]);
        yield return new(3, 4, 3, 2, 2, 1, 1, true, "replicate", [1, 3, 7, 6]);
        yield return new(2, 3, (2, 3), 1, (1, 2), (2, 1), 1, false, "circular", [2, 2, 5, 6]);
        yield return new(3, 2, 3, 1, "same", 2, 1, true, "reflect", [1, 3, 8, 7]);
        yield return new(3, 3, 3, 1, 1, 1, 3, true, "zeros", [3, 6, 5]); // unbatched CHW
        for (int k = 0; k < 6; k++)
        {
            int groups = r.Next(1, 3);
            int cin = groups * r.Next(1, 4), cout = groups * r.Next(1, 4);
            Size2 kernel = (r.Next(1, 5), r.Next(1, 5));
            Size2 dilation = (r.Next(1, 3), r.Next(1, 3));
            string mode = PaddingModeNames.All[r.Next(4)];
            Size2 stride = (r.Next(1, 4), r.Next(1, 4));
            ConvPadding padding = (r.Next(0, 3), r.Next(0, 3));
            int h = (dilation.H * (kernel.H - 1)) + r.Next(3, 9), w = (dilation.W * (kernel.W - 1)) + r.Next(3, 9);
            yield return new(cin, cout, kernel, stride, padding, dilation, groups, r.Next(2) == 0, mode, [r.Next(1, 3), cin, h, w]);
        }
    }

    public override IEnumerable<CheckCase> Cases(int seed) => ConfigCases.Make(seed ^ 0xc0a2, Configs, c => c.InputShape,
        c => new Conv2d(c.In, c.Out, c.Kernel, c.Stride, c.Padding, c.Dilation, c.Groups, c.Bias, c.Mode), Reference);

    private static ReferenceResult Reference(Config c, ReferenceCall call)
    {
        var layer = new { Top = Pad(c, true).Before, Bottom = Pad(c, true).After, Left = Pad(c, false).Before, Right = Pad(c, false).After };
        bool unbatched = call.Inputs[0].Rank == 3;
        RefTensor x = Unbatched.Add(call.Inputs[0]);
        RefTensor w = call.Parameters["weight"];
        RefTensor? b = c.Bias ? call.Parameters["bias"] : null;
        var pad = new Pad2dKernel.Args(layer.Left, layer.Right, layer.Top, layer.Bottom, c.Mode);
        bool explicitPad = c.Mode != "zeros";
        RefTensor padded = explicitPad ? Pad2dKernel.Forward(x, pad) : x;
        var args = explicitPad
            ? new Conv2dKernel.Args(c.Stride.H, c.Stride.W, 0, 0, 0, 0, c.Dilation.H, c.Dilation.W, c.Groups)
            : new Conv2dKernel.Args(c.Stride.H, c.Stride.W, layer.Top, layer.Bottom, layer.Left, layer.Right, c.Dilation.H, c.Dilation.W, c.Groups);
        RefTensor y = Conv2dKernel.Forward(padded, w, b, args);
        RefTensor g = Unbatched.Add(call.GradOutput!.Reshape(unbatched ? [1, .. call.GradOutput.Shape] : call.GradOutput.Shape));
        var (gx, gw, gb) = Conv2dKernel.Backward(padded, w, g, args);
        if (explicitPad)
        {
            gx = Pad2dKernel.Backward(gx, x.Shape, pad);
        }

        var grads = WeightGradients.Of(gw, c.Bias ? gb : null);
        return new ReferenceResult
        {
            Outputs = [Unbatched.Remove(y, unbatched)],
            InputGradients = new Dictionary<string, RefTensor> { ["input"] = Unbatched.Remove(gx, unbatched) },
            ParameterGradients = grads,
        };
    }

    /// <summary>PyTorch's padding amounts: explicit, or for "same" total d*(k-1) with the odd extra after.</summary>
    private static (int Before, int After) Pad(Config c, bool height)
    {
        int k = height ? c.Kernel.H : c.Kernel.W, d = height ? c.Dilation.H : c.Dilation.W;
        if (c.Padding.IsSame)
        {
            int total = d * (k - 1);
            return (total / 2, total - (total / 2));
        }

        int p = height ? c.Padding.H : c.Padding.W;
        return (p, p);
    }
}

public sealed class ConvTranspose2dEntry : LayerEntry
{
    public override string Name => "ConvTranspose2d";

    public override string Construction => "Layers.ConvTranspose2d -> nn.functional.conv_transpose2d";

    public override string ReferenceKernel => nameof(ConvTranspose2dKernel);

    public override string Parameters =>
        "in_channels, out_channels, kernel_size, stride=1, padding=0, output_padding=0, groups=1, bias=True, dilation=1, padding_mode=zeros";

    private sealed record Config(int In, int Out, Size2 Kernel, Size2 Stride, Size2 Padding, Size2 OutPad, int Groups, bool Bias, Size2 Dilation, int[] InputShape)
    {
        public override string ToString() =>
            $"{In}->{Out} k{Kernel} s{Stride} p{Padding} op{OutPad} g{Groups} d{Dilation}{(Bias ? string.Empty : " nobias")} [{string.Join(",", InputShape)}]";
    }

    private static IEnumerable<Config> Configs(Random r)
    {
        // the ResNet generator's upsampling: 3x3, stride 2, padding 1, output_padding 1
        yield return new(4, 2, 3, 2, 1, 1, 1, true, 1, [2, 4, 5, 4]);
        // the U-Net's: 4x4, stride 2, padding 1
        yield return new(3, 2, 4, 2, 1, 0, 1, false, 1, [1, 3, 4, 5]);
        yield return new(4, 6, (3, 2), (2, 3), (1, 0), (1, 2), 2, true, 1, [2, 4, 4, 3]);
        yield return new(2, 3, 3, 1, 2, 0, 1, true, 2, [1, 2, 6, 5]);
        yield return new(3, 3, 2, 3, 0, (2, 1), 3, true, (2, 2), [2, 3, 3, 4]);
        yield return new(2, 2, 3, 2, 1, 1, 1, true, 1, [2, 4, 3]); // unbatched CHW
        for (int k = 0; k < 5; k++)
        {
            int groups = r.Next(1, 3);
            int cin = groups * r.Next(1, 3), cout = groups * r.Next(1, 3);
            Size2 stride = (r.Next(1, 4), r.Next(1, 4));
            Size2 dilation = (r.Next(1, 3), r.Next(1, 3));
            Size2 outPad = (r.Next(0, Math.Max(stride.H, dilation.H)), r.Next(0, Math.Max(stride.W, dilation.W)));
            Size2 kernel = (r.Next(1, 5), r.Next(1, 5));
            Size2 padding = (r.Next(0, kernel.H), r.Next(0, kernel.W));
            yield return new(cin, cout, kernel, stride, padding, outPad, groups, r.Next(2) == 0, dilation, [r.Next(1, 3), cin, r.Next(3, 7), r.Next(3, 7)]);
        }
    }

    public override IEnumerable<CheckCase> Cases(int seed) => ConfigCases.Make(seed ^ 0x7c0a, Configs, c => c.InputShape,
        c => new ConvTranspose2d(c.In, c.Out, c.Kernel, c.Stride, c.Padding, c.OutPad, c.Groups, c.Bias, c.Dilation), Reference);

    private static ReferenceResult Reference(Config c, ReferenceCall call)
    {
        bool unbatched = call.Inputs[0].Rank == 3;
        RefTensor x4 = Unbatched.Add(call.Inputs[0]);
        var args = new ConvTranspose2dKernel.Args(c.Stride.H, c.Stride.W, c.Padding.H, c.Padding.W, c.OutPad.H, c.OutPad.W, c.Dilation.H, c.Dilation.W, c.Groups);
        RefTensor w = call.Parameters["weight"];
        RefTensor y = ConvTranspose2dKernel.Forward(x4, w, c.Bias ? call.Parameters["bias"] : null, args);
        RefTensor g = unbatched ? call.GradOutput!.Reshape([1, .. call.GradOutput.Shape]) : call.GradOutput!;
        var (gx, gw, gb) = ConvTranspose2dKernel.Backward(x4, w, g, args);
        var grads = WeightGradients.Of(gw, c.Bias ? gb : null);
        return new ReferenceResult
        {
            Outputs = [Unbatched.Remove(y, unbatched)],
            InputGradients = new Dictionary<string, RefTensor> { ["input"] = Unbatched.Remove(gx, unbatched) },
            ParameterGradients = grads,
        };
    }
}

public sealed class ReflectionPad2dEntry : LayerEntry
{
    public override string Name => "ReflectionPad2d";

    public override string Construction => "Layers.ReflectionPad2d -> nn.functional.pad(mode Reflect)";

    public override string ReferenceKernel => $"{nameof(Pad2dKernel)} (reflect; zeros/replicate/circular checked through Conv2d)";

    public override string Parameters => "padding: int or (left, right, top, bottom), each smaller than the side it pads";

    public override IEnumerable<CheckCase> Cases(int seed)
    {
        var random = new Random(seed ^ 0x9ad);
        (int, int, int, int)[] pads = [(1, 1, 1, 1), (3, 3, 3, 3), (0, 2, 1, 0), (4, 1, 2, 5)];
        foreach (var p in pads)
        {
            foreach (int[] shape in new[] { new[] { 2, 3, 6, 7 }, [3, 7, 6] })
            {
                RefTensor x = RefTensor.Uniform(random, -1, 1, shape);
                var pad = p;
                yield return new ModuleCheck($"padding {pad} [{string.Join(",", shape)}]")
                {
                    Seed = random.Next(),
                    Inputs = [new CheckInput("input", x)],
                    Build = (device, dtype) => new ReflectionPad2d(pad).to(device, dtype),
                    Forward = (m, t) => [((ReflectionPad2d)m).call(t[0])],
                    Reference = call =>
                    {
                        bool unbatched = call.Inputs[0].Rank == 3;
                        RefTensor x4 = Unbatched.Add(call.Inputs[0]);
                        var args = new Pad2dKernel.Args(pad.Item1, pad.Item2, pad.Item3, pad.Item4, "reflect");
                        RefTensor g = unbatched ? call.GradOutput!.Reshape([1, .. call.GradOutput.Shape]) : call.GradOutput!;
                        return new ReferenceResult
                        {
                            Outputs = [Unbatched.Remove(Pad2dKernel.Forward(x4, args), unbatched)],
                            InputGradients = new Dictionary<string, RefTensor>
                            {
                                ["input"] = Unbatched.Remove(Pad2dKernel.Backward(g, x4.Shape, args), unbatched),
                            },
                        };
                    },
                };
            }
        }
    }
}
