using CycleGan.App.Layers;
using CycleGan.Kernels;

namespace CycleGan.App.Verification.Catalogue;

public sealed class LinearEntry : LayerEntry
{
    public override string Name => "Linear";

    public override string Construction => "Layers.Linear -> nn.functional.linear";

    public override string ReferenceKernel => nameof(LinearKernel);

    public override string Parameters => "in_features, out_features, bias=True";

    public override IEnumerable<CheckCase> Cases(int seed)
    {
        var random = new Random(seed ^ 0x11ea);
        (int In, int Out, bool Bias, int[] Lead)[] configs =
            [(20, 30, true, [6]), (5, 3, false, [4]), (7, 2, true, [2, 3]), (3, 4, true, []), (1, 1, true, [5]), (6, 9, false, [2, 1, 3])];
        foreach (var c in configs)
        {
            RefTensor x = RefTensor.Uniform(random, -1, 1, [.. c.Lead, c.In]);
            yield return new ModuleCheck($"{c.In}->{c.Out}{(c.Bias ? string.Empty : " nobias")} [{string.Join(",", x.Shape)}]")
            {
                Seed = random.Next(),
                Inputs = [new CheckInput("input", x)],
                Build = (device, dtype) => new Linear(c.In, c.Out, c.Bias).to(device, dtype),
                Forward = (m, t) => [((Linear)m).call(t[0])],
                Reference = call =>
                {
                    var (gx, gw, gb) = LinearKernel.Backward(call.Inputs[0], call.Parameters["weight"], call.GradOutput!);
                    var grads = WeightGradients.Of(gw, c.Bias ? gb : null);
                    return new ReferenceResult
                    {
                        Outputs = [LinearKernel.Forward(call.Inputs[0], call.Parameters["weight"], c.Bias ? call.Parameters["bias"] : null)],
                        InputGradients = new Dictionary<string, RefTensor> { ["input"] = gx },
                        ParameterGradients = grads,
                    };
                },
            };
        }
    }
}
