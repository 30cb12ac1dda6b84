using CycleGan.App.Layers;
using CycleGan.Kernels;

namespace CycleGan.App.Verification.Catalogue;

/// <summary>Shared shape plumbing of the pooling entries: reference kernels work on NCHW, layers also take CHW.</summary>
internal static class PoolingCase
{
    public static ModuleCheck Make(string name, Random random, int[] shape, Func<nn.Module> build, Func<nn.Module, Tensor, Tensor[]> forward,
        Func<RefTensor, RefTensor, (RefTensor[] Outputs, RefTensor GradInput)> reference)
    {
        RefTensor x = RefTensor.Uniform(random, -1, 1, shape);
        return new ModuleCheck($"{name} [{string.Join(",", shape)}]")
        {
            Seed = random.Next(),
            Inputs = [new CheckInput("input", x)],
            Build = (device, dtype) => build().to(device, dtype),
            Forward = (m, t) => forward(m, t[0]),
            Reference = call =>
            {
                bool unbatched = call.Inputs[0].Rank == 3;
                RefTensor x4 = Unbatched.Add(call.Inputs[0]);
                RefTensor g4 = unbatched ? call.GradOutput!.Reshape([1, .. call.GradOutput.Shape]) : call.GradOutput!;
                var (outputs, grad) = reference(x4, g4);
                return new ReferenceResult
                {
                    Outputs = outputs.Select(o => Unbatched.Remove(o, unbatched)).ToList(),
                    InputGradients = new Dictionary<string, RefTensor> { ["input"] = Unbatched.Remove(grad, unbatched) },
                };
            },
        };
    }
}

public sealed class MaxPool2dEntry : LayerEntry
{
    public override string Name => "MaxPool2d";

    public override string Construction => "Layers.MaxPool2d -> nn.functional.max_pool2d_with_indices";

    public override string ReferenceKernel => "PoolingKernels.MaxForward/MaxBackward";

    public override string Parameters => "kernel_size, stride=kernel_size, padding=0, dilation=1, return_indices=False, ceil_mode=False";

    public override IEnumerable<CheckCase> Cases(int seed)
    {
        var random = new Random(seed ^ 0x3a9);
        (Size2 K, Size2 S, Size2 P, Size2 D, bool Ceil, int[] Shape)[] configs =
        [
            (3, 2, 0, 1, false, [2, 3, 11, 8]), // the design's MaxPool2d(3, stride 2), scaled down
            ((3, 2), (2, 1), 0, 1, false, [2, 3, 11, 8]), // MaxPool2d((3,2), stride (2,1))
            (3, 2, 1, 1, true, [1, 2, 8, 6]), // ceil_mode: the last window starts in the padding and is dropped
            (2, 2, 1, 1, true, [2, 2, 5, 7]),
            (3, 2, 1, 2, false, [1, 3, 9, 10]), // dilation
            ((2, 3), (1, 2), (1, 1), (2, 1), true, [2, 2, 7, 9]),
            (2, 1, 0, 1, false, [3, 5, 4]), // unbatched
            (4, 3, 2, 1, true, [1, 2, 10, 11]),
        ];
        foreach (var c in configs)
        {
            var args = new PoolingKernels.Args(c.K.H, c.K.W, c.S.H, c.S.W, c.P.H, c.P.W, c.D.H, c.D.W, c.Ceil);
            yield return PoolingCase.Make($"k{c.K} s{c.S} p{c.P} d{c.D}{(c.Ceil ? " ceil" : string.Empty)} +indices", random, c.Shape,
                () => new MaxPool2d(c.K, c.S, c.P, c.D, return_indices: true, ceil_mode: c.Ceil),
                (m, x) =>
                {
                    var (y, i) = ((MaxPool2d)m).ForwardWithIndices(x);
                    return [y, i];
                },
                (x, g) =>
                {
                    var (y, idx) = PoolingKernels.MaxForward(x, args);
                    return ([y, idx], PoolingKernels.MaxBackward(x.Shape, idx, g));
                });
        }
    }
}

public sealed class AvgPool2dEntry : LayerEntry
{
    public override string Name => "AvgPool2d";

    public override string Construction => "Layers.AvgPool2d -> nn.functional.avg_pool2d";

    public override string ReferenceKernel => "PoolingKernels.AvgForward/AvgBackward";

    public override string Parameters => "kernel_size, stride=kernel_size, padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None";

    public override IEnumerable<CheckCase> Cases(int seed)
    {
        var random = new Random(seed ^ 0xa59);
        (Size2 K, Size2 S, Size2 P, bool Ceil, bool Include, int? Divisor, int[] Shape)[] configs =
        [
            (3, 2, 0, false, true, null, [2, 3, 11, 8]),
            ((3, 2), (2, 1), 0, false, true, null, [2, 3, 11, 8]),
            (3, 2, 1, true, true, null, [1, 2, 8, 6]), // ceil_mode window overhanging the padding: not counted
            (3, 2, 1, true, false, null, [1, 2, 8, 6]), // count_include_pad off
            (2, 2, 1, false, false, null, [2, 2, 5, 7]),
            (3, 2, 1, false, true, 5, [1, 2, 7, 7]), // divisor_override
            ((2, 3), (1, 2), (1, 1), true, false, 2, [2, 2, 6, 9]),
            (2, 1, 0, false, true, null, [3, 5, 4]), // unbatched
        ];
        foreach (var c in configs)
        {
            var args = new PoolingKernels.Args(c.K.H, c.K.W, c.S.H, c.S.W, c.P.H, c.P.W, CeilMode: c.Ceil, CountIncludePad: c.Include, DivisorOverride: c.Divisor);
            string name = $"k{c.K} s{c.S} p{c.P}{(c.Ceil ? " ceil" : string.Empty)}{(c.Include ? string.Empty : " no-pad-count")}{(c.Divisor is int d ? $" divisor={d}" : string.Empty)}";
            yield return PoolingCase.Make(name, random, c.Shape,
                () => new AvgPool2d(c.K, c.S, c.P, c.Ceil, c.Include, c.Divisor),
                (m, x) => [((AvgPool2d)m).call(x)],
                (x, g) => ([PoolingKernels.AvgForward(x, args)], PoolingKernels.AvgBackward(x, args, g)));
        }
    }
}

public sealed class AdaptiveMaxPool2dEntry : LayerEntry
{
    public override string Name => "AdaptiveMaxPool2d";

    public override string Construction => "Layers.AdaptiveMaxPool2d -> nn.functional.adaptive_max_pool2d_with_indices";

    public override string ReferenceKernel => "PoolingKernels.AdaptiveMaxForward/MaxBackward";

    public override string Parameters => "output_size: int | (int|None, int|None), return_indices=False";

    public override IEnumerable<CheckCase> Cases(int seed)
    {
        var random = new Random(seed ^ 0xada);
        foreach (var (size, shape) in AdaptiveConfigs.All)
        {
            yield return PoolingCase.Make($"output_size {size}", random, shape,
                () => new AdaptiveMaxPool2d(size, return_indices: true),
                (m, x) =>
                {
                    var (y, i) = ((AdaptiveMaxPool2d)m).ForwardWithIndices(x);
                    return [y, i];
                },
                (x, g) =>
                {
                    var (y, idx) = PoolingKernels.AdaptiveMaxForward(x, size.H ?? x.Shape[2], size.W ?? x.Shape[3]);
                    return ([y, idx], PoolingKernels.MaxBackward(x.Shape, idx, g));
                });
        }
    }
}

public sealed class AdaptiveAvgPool2dEntry : LayerEntry
{
    public override string Name => "AdaptiveAvgPool2d";

    public override string Construction => "Layers.AdaptiveAvgPool2d -> nn.functional.adaptive_avg_pool2d";

    public override string ReferenceKernel => "PoolingKernels.AdaptiveAvgForward/AdaptiveAvgBackward";

    public override string Parameters => "output_size: int | (int|None, int|None)";

    public override IEnumerable<CheckCase> Cases(int seed)
    {
        var random = new Random(seed ^ 0xada2);
        foreach (var (size, shape) in AdaptiveConfigs.All)
        {
            yield return PoolingCase.Make($"output_size {size}", random, shape,
                () => new AdaptiveAvgPool2d(size),
                (m, x) => [((AdaptiveAvgPool2d)m).call(x)],
                (x, g) =>
                {
                    int oh = size.H ?? x.Shape[2], ow = size.W ?? x.Shape[3];
                    return ([PoolingKernels.AdaptiveAvgForward(x, oh, ow)], PoolingKernels.AdaptiveAvgBackward(x, oh, ow, g));
                });
        }
    }
}

internal static class AdaptiveConfigs
{
    /// <summary>The design's examples (with fewer channels), None sides, sizes above the input's, unbatched input.</summary>
    public static readonly (AdaptiveSize Size, int[] Shape)[] All =
    [
        ((5, 7), [1, 4, 8, 9]),
        (7, [1, 4, 10, 9]),
        ((null, 7), [1, 4, 10, 9]),
        ((3, null), [2, 3, 7, 5]),
        (11, [1, 2, 8, 9]),
        (1, [2, 3, 6, 5]),
        ((4, 3), [3, 9, 7]),
    ];
}
