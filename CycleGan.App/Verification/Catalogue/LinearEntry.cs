using CycleGan.App.Layers;
using CycleGan.Kernels;

namespace CycleGan.App.Verification.Catalogue;

public sealed class LinearEntry : LayerEntry
{
    public override string Name => "Linear";

    public override string Construction => "Layers.Linear -> nn.functional.linear";

    public override string ReferenceKernel => nameof(LinearKernel);

    public override string Parameters => "in_features, out_features, bias=True";

    private sealed record Config(int In, int Out, bool Bias, int[] Lead)
    {
        public int[] InputShape => [.. Lead, In];

        public override string ToString() => $"{In}->{Out}{(Bias ? string.Empty : " nobias")} [{string.Join(",", InputShape)}]";
    }

    private static readonly Config[] Configs =
        [new(20, 30, true, [6]), new(5, 3, false, [4]), new(7, 2, true, [2, 3]), new(3, 4, true, []), new(1, 1, true, [5]), new(6, 9, false, [2, 1, 3])];

    public override IEnumerable<CheckCase> Cases(int seed) =>
        ConfigCases.Make(seed ^ 0x11ea, _ => Configs, c => c.InputShape, c => new Linear(c.In, c.Out, c.Bias), Reference);

    private static ReferenceResult Reference(Config c, ReferenceCall call)
    {
        var (gx, gw, gb) = LinearKernel.Backward(call.Inputs[0], call.Parameters["weight"], call.GradOutput!);
        var grads = WeightGradients.Of(gw, c.Bias ? gb : null);
        return new ReferenceResult
        {
            Outputs = [LinearKernel.Forward(call.Inputs[0], call.Parameters["weight"], c.Bias ? call.Parameters["bias"] : null)],
            InputGradients = new Dictionary<string, RefTensor> { ["input"] = gx },
            ParameterGradients = grads,
        };
    }
}
