using CycleGan.App.Layers;
using CycleGan.Kernels;

namespace CycleGan.App.Verification.Catalogue;

public sealed class SoftmaxEntry : LayerEntry
{
    public override string Name => "Softmax";

    public override string Construction => "Layers.Softmax -> nn.functional.softmax(dim)";

    public override string ReferenceKernel => nameof(SoftmaxKernel);

    public override string Parameters => "dim (required; negative counts from the end)";

    public override IEnumerable<CheckCase> Cases(int seed)
    {
        var random = new Random(seed ^ 0x50f7);
        int[][] shapes = [[9], [4, 7], [2, 3, 5], [2, 3, 4, 5]];
        foreach (int[] shape in shapes)
        {
            for (int dim = -shape.Length; dim < shape.Length; dim++)
            {
                int d = dim;
                RefTensor x = RefTensor.Uniform(random, -6, 6, shape);
                yield return new ModuleCheck($"dim={d} [{string.Join(",", shape)}]")
                {
                    Seed = random.Next(),
                    Inputs = [new CheckInput("input", x)],
                    Build = (device, dtype) => new Softmax(d).to(device, dtype),
                    Forward = (m, t) => [((Softmax)m).call(t[0])],
                    Reference = call =>
                    {
                        RefTensor y = SoftmaxKernel.Forward(call.Inputs[0], d);
                        return new ReferenceResult
                        {
                            Outputs = [y],
                            InputGradients = new Dictionary<string, RefTensor> { ["input"] = SoftmaxKernel.Backward(y, call.GradOutput!, d) },
                        };
                    },
                };
            }
        }
    }
}
