using CycleGan.App.Layers;
using CycleGan.Kernels;

namespace CycleGan.App.Verification.Catalogue;

/// <summary>A variant of an element-wise layer: how to build it and the function and derivative that define it.</summary>
public sealed record PointwiseVariant(string Label, Func<nn.Module<Tensor, Tensor>> Build, Func<double, double> F, Func<double, double> Derivative);

/// <summary>Cross-check cases shared by the element-wise activations: every variant on inputs of rank 1 to 5.</summary>
public abstract class PointwiseEntry : LayerEntry
{
    /// <summary>The inputs are drawn from [-Range, Range].</summary>
    protected virtual double Range => 4;

    protected abstract IEnumerable<PointwiseVariant> Variants { get; }

    public override IEnumerable<CheckCase> Cases(int seed)
    {
        var random = new Random(seed ^ Name.GetHashCode(StringComparison.Ordinal));
        int[][] shapes = [[11], [3, 7], [2, 3, 5], [2, 3, 5, 4], [1, 2, 3, 3, 2]];
        foreach (PointwiseVariant v in Variants)
        {
            foreach (int[] shape in shapes)
            {
                RefTensor x = RefTensor.Uniform(random, -Range, Range, shape);
                yield return new ModuleCheck($"{v.Label} [{string.Join(",", shape)}]")
                {
                    Seed = random.Next(),
                    Inputs = [new CheckInput("input", x)],
                    Build = (device, dtype) => v.Build().to(device, dtype),
                    Forward = (m, t) => [((nn.Module<Tensor, Tensor>)m).call(t[0])],
                    Reference = call => new ReferenceResult
                    {
                        Outputs = [PointwiseKernels.Forward(call.Inputs[0], v.F)],
                        InputGradients = new Dictionary<string, RefTensor>
                        {
                            ["input"] = PointwiseKernels.Backward(call.Inputs[0], call.GradOutput!, v.Derivative),
                        },
                    },
                };
            }
        }
    }
}

public sealed class SigmoidEntry : PointwiseEntry
{
    public override string Name => "Sigmoid";

    public override string Construction => "Layers.Sigmoid -> Tensor.sigmoid";

    public override string ReferenceKernel => "PointwiseKernels.Sigmoid";

    public override string Parameters => "(none)";

    protected override double Range => 8;

    protected override IEnumerable<PointwiseVariant> Variants =>
        [new("sigmoid", () => new Sigmoid(), PointwiseKernels.Sigmoid, PointwiseKernels.SigmoidGrad)];
}

public sealed class TanhEntry : PointwiseEntry
{
    public override string Name => "Tanh";

    public override string Construction => "Layers.Tanh -> Tensor.tanh";

    public override string ReferenceKernel => "PointwiseKernels.Tanh";

    public override string Parameters => "(none)";

    protected override IEnumerable<PointwiseVariant> Variants =>
        [new("tanh", () => new Tanh(), Math.Tanh, PointwiseKernels.TanhGrad)];
}

public sealed class LeakyReLUEntry : PointwiseEntry
{
    public override string Name => "LeakyReLU";

    public override string Construction => "Layers.LeakyReLU -> nn.functional.leaky_relu (Tensor.leaky_relu_ when inplace)";

    public override string ReferenceKernel => "PointwiseKernels.LeakyRelu";

    public override string Parameters => "negative_slope=0.01, inplace";

    protected override IEnumerable<PointwiseVariant> Variants =>
        new[] { 0.01, 0.2, 1.5, -0.3 }.Select(s => new PointwiseVariant(
            $"negative_slope={s}", () => new LeakyReLU(s), PointwiseKernels.LeakyRelu(s), PointwiseKernels.LeakyReluGrad(s)));
}

public sealed class ReLU6Entry : PointwiseEntry
{
    public override string Name => "ReLU6";

    public override string Construction => "Layers.ReLU6 -> nn.functional.relu6 (Tensor.hardtanh_(0, 6) when inplace)";

    public override string ReferenceKernel => "PointwiseKernels.Relu6";

    public override string Parameters => "inplace";

    protected override double Range => 9;

    protected override IEnumerable<PointwiseVariant> Variants =>
        [new("relu6", () => new ReLU6(), PointwiseKernels.Relu6, PointwiseKernels.Relu6Grad)];
}

public sealed class GELUEntry : PointwiseEntry
{
    public override string Name => "GELU";

    public override string Construction => "Layers.GELU -> nn.functional.gelu(approximate none|tanh)";

    public override string ReferenceKernel => "PointwiseKernels.Gelu/GeluTanh";

    public override string Parameters => "approximate='none'|'tanh'";

    protected override double Range => 5;

    protected override IEnumerable<PointwiseVariant> Variants =>
    [
        new("approximate=none", () => new GELU(), PointwiseKernels.Gelu, PointwiseKernels.GeluGrad),
        new("approximate=tanh", () => new GELU("tanh"), PointwiseKernels.GeluTanh, PointwiseKernels.GeluTanhGrad),
    ];
}

public sealed class SELUEntry : PointwiseEntry
{
    public override string Name => "SELU";

    public override string Construction => "Layers.SELU -> nn.functional.selu (Tensor.selu_ when inplace)";

    public override string ReferenceKernel => "PointwiseKernels.Selu";

    public override string Parameters => "inplace";

    protected override IEnumerable<PointwiseVariant> Variants =>
        [new("selu", () => new SELU(), PointwiseKernels.Selu, PointwiseKernels.SeluGrad)];
}

public sealed class IdentityEntry : PointwiseEntry
{
    public override string Name => "Identity";

    public override string Construction => "Layers.Identity -> returns its input";

    public override string ReferenceKernel => "PointwiseKernels (f(x) = x)";

    public override string Parameters => "any arguments (ignored)";

    protected override IEnumerable<PointwiseVariant> Variants =>
        [new("identity", () => new Identity(54, "unused"), x => x, _ => 1)];
}
