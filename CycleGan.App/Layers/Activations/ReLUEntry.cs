using CycleGan.App.Reference;

namespace CycleGan.App.Layers;

public sealed class ReLUEntry : PointwiseEntry
{
    public override string Name => "ReLU";

    public override string Construction => "Layers.ReLU -> nn.functional.relu (Tensor.relu_ when inplace)";

    public override string ReferenceKernel => nameof(ReluKernel);

    public override string Parameters => "inplace";

    protected override IEnumerable<PointwiseVariant> Variants =>
        [new("relu", () => new ReLU(), x => Math.Max(0, x), x => x > 0 ? 1 : 0)];
}
