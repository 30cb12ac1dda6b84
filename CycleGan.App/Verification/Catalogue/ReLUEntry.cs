using CycleGan.App.Layers;
using CycleGan.Kernels;

namespace CycleGan.App.Verification.Catalogue;

public sealed class ReLUEntry : PointwiseEntry
{
    public override string Name => "ReLU";

    public override string Construction => "Layers.ReLU -> nn.functional.relu (Tensor.relu_ when inplace)";

    public override string ReferenceKernel => "PointwiseKernels.Relu";

    public override string Parameters => "inplace";

    protected override IEnumerable<PointwiseVariant> Variants =>
        [new("relu", () => new ReLU(), PointwiseKernels.Relu, PointwiseKernels.ReluGrad)];
}
