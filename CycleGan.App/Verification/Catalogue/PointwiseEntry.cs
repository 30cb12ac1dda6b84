using CycleGan.App.Layers;
using CycleGan.Kernels;

namespace CycleGan.App.Verification.Catalogue;

/// <summary>A variant of an element-wise layer: how to build it and the function and derivative that define it.</summary>
public sealed record PointwiseVariant(string Label, Func<nn.Module<Tensor, Tensor>> Build, Func<double, double> F, Func<double, double> Derivative);

/// <summary>Cross-check cases shared by the element-wise activations: every variant on inputs of rank 1 to 5, drawn
/// from [-range, range].</summary>
public abstract class PointwiseEntry(string name, string construction, string referenceKernel, string parameters,
    IEnumerable<PointwiseVariant> variants, double range = 4) : LayerEntry
{
    public override string Name => name;

    public override string Construction => construction;

    public override string ReferenceKernel => referenceKernel;

    public override string Parameters => parameters;

    public override IEnumerable<CheckCase> Cases(int seed)
    {
        var random = new Random(seed ^ Name.GetHashCode(StringComparison.Ordinal));
        int[][] shapes = [[11], [3, 7], [2, 3, 5], [2, 3, 5, 4], [1, 2, 3, 3, 2]];
        foreach (PointwiseVariant v in variants)
        {
            foreach (int[] shape in shapes)
            {
                RefTensor x = RefTensor.Uniform(random, -range, range, shape);
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

public sealed class SigmoidEntry() : PointwiseEntry("Sigmoid", "Layers.Sigmoid -> Tensor.sigmoid",
    "PointwiseKernels.Sigmoid", "(none)",
    [new("sigmoid", () => new Sigmoid(), PointwiseKernels.Sigmoid, PointwiseKernels.SigmoidGrad)], range: 8);

public sealed class TanhEntry() : PointwiseEntry("Tanh", "Layers.Tanh -> Tensor.tanh",
    "PointwiseKernels.Tanh", "(none)",
    [new("tanh", () => new Tanh(), Math.Tanh, PointwiseKernels.TanhGrad)]);

public sealed class LeakyReLUEntry() : PointwiseEntry("LeakyReLU", "Layers.LeakyReLU -> nn.functional.leaky_relu (Tensor.leaky_relu_ when inplace)",
    "PointwiseKernels.LeakyRelu", "negative_slope=0.01, inplace",
    new[] { 0.01, 0.2, 1.5, -0.3 }.Select(s => new PointwiseVariant(
        $"negative_slope={s}", () => new LeakyReLU(s), PointwiseKernels.LeakyRelu(s), PointwiseKernels.LeakyReluGrad(s))));

public sealed class ReLU6Entry() : PointwiseEntry("ReLU6", "Layers.ReLU6 -> nn.functional.relu6 (Tensor.hardtanh_(0, 6) when inplace)",
    "PointwiseKernels.Relu6", "inplace",
    [new("relu6", () => new ReLU6(), PointwiseKernels.Relu6, PointwiseKernels.Relu6Grad)], range: 9);

public sealed class GELUEntry() : PointwiseEntry("GELU", "Layers.GELU -> nn.functional.gelu(approximate none|tanh)",
    "PointwiseKernels.Gelu/GeluTanh", "approximate='none'|'tanh'",
    [
        new("approximate=none", () => new GELU(), PointwiseKernels.Gelu, PointwiseKernels.GeluGrad),
        new("approximate=tanh", () => new GELU("tanh"), PointwiseKernels.GeluTanh, PointwiseKernels.GeluTanhGrad),
    ],
    range: 5);

public sealed class SELUEntry() : PointwiseEntry("SELU", "Layers.SELU -> nn.functional.selu (Tensor.selu_ when inplace)",
    "PointwiseKernels.Selu", "inplace",
    [new("selu", () => new SELU(), PointwiseKernels.Selu, PointwiseKernels.SeluGrad)]);

public sealed class IdentityEntry() : PointwiseEntry("Identity", "Layers.Identity -> returns its input",
    "PointwiseKernels (f(x) = x)", "any arguments (ignored)",
    [new("identity", () => new Identity(54, "unused"), x => x, _ => 1)]);
