using CycleGan.App.Layers.Catalogue;
using CycleGan.App.Reference;
using TorchSharp;

namespace CycleGan.App.Layers;

public sealed class ReLUEntry : LayerEntry
{
    public override string Name => "ReLU";

    public override string Construction => "Layers.ReLU -> torch.nn.functional.relu (relu_ when inplace)";

    public override string ReferenceKernel => nameof(ReluKernel);

    public override string Parameters => "inplace";

    public override IEnumerable<CheckCase> Cases(int seed)
    {
        var random = new Random(seed);
        int[][] shapes = [[3, 7], [2, 3, 5, 4], [1, 2, 3, 9, 1]];
        foreach (int[] shape in shapes)
        {
            RefTensor x = RefTensor.Uniform(random, -2, 2, shape);
            yield return new ModuleCheck($"shape [{string.Join(",", shape)}]")
            {
                Seed = random.Next(),
                Inputs = [new CheckInput("input", x)],
                Build = (device, dtype) => new ReLU().to(device, dtype),
                Forward = (m, t) => [((ReLU)m).call(t[0])],
                Reference = call => new ReferenceResult
                {
                    Outputs = [ReluKernel.Forward(call.Inputs[0])],
                    InputGradients = new Dictionary<string, RefTensor> { ["input"] = ReluKernel.Backward(call.Inputs[0], call.GradOutput!) },
                },
            };
        }
    }
}
