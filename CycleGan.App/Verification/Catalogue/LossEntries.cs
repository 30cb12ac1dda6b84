using CycleGan.App.Layers;
using CycleGan.Kernels;

namespace CycleGan.App.Verification.Catalogue;

/// <summary>L1Loss and MSELoss differ only in their kernels, so they share their cases: every reduction, ranks 1 to 4,
/// a target with and without gradient.</summary>
public abstract class ElementwiseLossEntry(string name, string construction, string referenceKernel, int salt,
    Func<string, nn.Module<Tensor, Tensor, Tensor>> create, Func<RefTensor, RefTensor, string, RefTensor> forward,
    Func<RefTensor, RefTensor, string, RefTensor, (RefTensor, RefTensor)> backward) : LayerEntry
{
    public override string Name => name;

    public override string Construction => construction;

    public override string ReferenceKernel => referenceKernel;

    public override string Parameters => "reduction='none'|'mean'|'sum'";

    public override IEnumerable<CheckCase> Cases(int seed)
    {
        var random = new Random(seed ^ salt);
        int[][] shapes = [[7], [3, 5], [2, 3, 4], [2, 3, 4, 5]];
        foreach (string reduction in Reductions.All)
        {
            foreach (int[] shape in shapes)
            {
                bool targetGrad = shape.Length % 2 == 0;
                RefTensor x = RefTensor.Uniform(random, -2, 2, shape), t = RefTensor.Uniform(random, -2, 2, shape);
                yield return new ModuleCheck($"reduction={reduction} [{string.Join(",", shape)}]{(targetGrad ? " target with gradient" : string.Empty)}")
                {
                    Seed = random.Next(),
                    Inputs = [new CheckInput("input", x), new CheckInput("target", t, targetGrad ? InputKind.Differentiable : InputKind.Constant)],
                    Build = (device, dtype) => create(reduction).to(device, dtype),
                    Forward = (m, ts) => [((nn.Module<Tensor, Tensor, Tensor>)m).call(ts[0], ts[1])],
                    Reference = call =>
                    {
                        var (gx, gt) = backward(call.Inputs[0], call.Inputs[1], reduction, call.GradOutput!);
                        return new ReferenceResult
                        {
                            Outputs = [forward(call.Inputs[0], call.Inputs[1], reduction)],
                            InputGradients = new Dictionary<string, RefTensor> { ["input"] = gx, ["target"] = gt },
                        };
                    },
                };
            }
        }
    }
}

public sealed class L1LossEntry() : ElementwiseLossEntry("L1Loss", "Layers.L1Loss -> nn.functional.l1_loss", "LossKernels.L1Forward/L1Backward",
    0x11, r => new L1Loss(r), LossKernels.L1Forward, LossKernels.L1Backward);

public sealed class MSELossEntry() : ElementwiseLossEntry("MSELoss", "Layers.MSELoss -> nn.functional.mse_loss", "LossKernels.MseForward/MseBackward",
    0x5e, r => new MSELoss(r), LossKernels.MseForward, LossKernels.MseBackward);

public sealed class CrossEntropyLossEntry : LayerEntry
{
    public override string Name => "CrossEntropyLoss";

    public override string Construction => "Layers.CrossEntropyLoss -> nn.functional.cross_entropy";

    public override string ReferenceKernel => "LossKernels.CrossEntropy";

    public override string Parameters => "weight=None, ignore_index=-100, reduction='mean', label_smoothing=0.0; class-index or probability targets";

    private sealed record Config(int[] InputShape, bool Probabilities, bool Weighted, long IgnoreIndex, string Reduction, double Smoothing)
    {
        public override string ToString() =>
            $"{(Probabilities ? "probabilities" : "indices")} reduction={Reduction}{(Weighted ? " weight" : string.Empty)}" +
            $"{(IgnoreIndex != -100 ? $" ignore={IgnoreIndex}" : string.Empty)}{(Smoothing > 0 ? $" smoothing={Smoothing}" : string.Empty)} [{string.Join(",", InputShape)}]";
    }

    private static IEnumerable<Config> Configs()
    {
        foreach (string reduction in Reductions.All)
        {
            yield return new([6, 4], false, false, -100, reduction, 0);
            yield return new([6, 4], false, true, -100, reduction, 0);
            yield return new([8, 5], false, true, 2, reduction, 0); // ignore_index hits some targets
            yield return new([8, 5], false, true, 1, reduction, 0.2); // smoothing with weight and ignore
            yield return new([7, 3], false, false, -100, reduction, 0.1);
            yield return new([2, 3, 4, 5], false, true, 0, reduction, 0.05); // spatial (N, C, H, W)
            yield return new([5, 4], true, false, -100, reduction, 0);
            yield return new([5, 4], true, true, -100, reduction, 0.3);
            yield return new([2, 3, 3, 2], true, true, -100, reduction, 0);
        }

        yield return new([5], false, true, -100, "mean", 0.1); // unbatched (C) with a scalar target
        yield return new([5], true, false, -100, "sum", 0);
    }

    public override IEnumerable<CheckCase> Cases(int seed)
    {
        var random = new Random(seed ^ 0xce);
        foreach (Config c in Configs())
        {
            int classes = c.InputShape.Length == 1 ? c.InputShape[0] : c.InputShape[1];
            RefTensor x = RefTensor.Uniform(random, -3, 3, c.InputShape);
            RefTensor target = c.Probabilities ? Probabilities(random, c.InputShape) : Indices(random, c.InputShape, classes, c.IgnoreIndex);
            double[]? weight = c.Weighted ? Enumerable.Range(0, classes).Select(_ => 0.2 + random.NextDouble()).ToArray() : null;
            var args = new LossKernels.CrossEntropyArgs(weight, c.IgnoreIndex, c.Reduction, c.Smoothing);
            yield return new ModuleCheck(c.ToString())
            {
                Seed = random.Next(),
                Inputs = [new CheckInput("input", x), new CheckInput("target", target, c.Probabilities ? InputKind.Constant : InputKind.Int64)],
                Build = (device, dtype) => new CrossEntropyLoss(
                    weight is null ? null : torch.tensor(weight, dtype: ScalarType.Float64).to(dtype, device), c.IgnoreIndex, c.Reduction, c.Smoothing),
                Forward = (m, ts) => [((CrossEntropyLoss)m).call(ts[0], ts[1])],
                Reference = call =>
                {
                    bool unbatched = call.Inputs[0].Rank == 1;
                    RefTensor input = unbatched ? call.Inputs[0].Reshape(1, classes) : call.Inputs[0];
                    RefTensor t = unbatched ? call.Inputs[1].Reshape(c.Probabilities ? [1, classes] : [1]) : call.Inputs[1];
                    RefTensor? g = call.GradOutput is null ? null : unbatched && c.Reduction == "none" ? call.GradOutput.Reshape(1) : call.GradOutput;
                    var (loss, grad) = LossKernels.CrossEntropy(input, t, c.Probabilities, args, g);
                    return new ReferenceResult
                    {
                        Outputs = [unbatched && c.Reduction == "none" ? loss.Reshape([]) : loss],
                        InputGradients = new Dictionary<string, RefTensor> { ["input"] = unbatched ? grad.Reshape(classes) : grad },
                    };
                },
            };
        }
    }

    /// <summary>Rows of class probabilities (each position's entries over dim 1 sum to 1).</summary>
    private static RefTensor Probabilities(Random random, int[] shape)
    {
        RefTensor raw = RefTensor.Uniform(random, 0.05, 1, shape);
        return SoftmaxKernel.Forward(raw, shape.Length == 1 ? 0 : 1);
    }

    /// <summary>Class indices; where ignore_index is a class, it occurs (so ignoring is exercised) but not everywhere.</summary>
    private static RefTensor Indices(Random random, int[] inputShape, int classes, long ignoreIndex)
    {
        int[] shape = inputShape.Length == 1 ? [] : [inputShape[0], .. inputShape[2..]];
        var t = new RefTensor(shape);
        for (int i = 0; i < t.Count; i++)
        {
            t.Data[i] = i % 3 == 0 && ignoreIndex >= 0 ? ignoreIndex : random.Next(classes);
        }

        if (ignoreIndex >= 0 && t.Data.All(v => v == ignoreIndex))
        {
            t.Data[0] = (ignoreIndex + 1) % classes;
        }

        return t;
    }
}
