using CycleGan.App.Layers;
using CycleGan.Kernels;

namespace CycleGan.App.Verification.Catalogue;

public sealed class ReLUEntry() : PointwiseEntry("ReLU", "Layers.ReLU -> nn.functional.relu (Tensor.relu_ when inplace)",
    "PointwiseKernels.Relu", "inplace",
    [new("relu", () => new ReLU(), PointwiseKernels.Relu, PointwiseKernels.ReluGrad)]);
