using static TorchSharp.torch;

namespace CycleGan.App.Layers;

/// <summary>ReLU6(inplace): min(max(0, x), 6).</summary>
public sealed class ReLU6(bool inplace = false) : nn.Module<Tensor, Tensor>(nameof(ReLU6))
{
    public bool Inplace { get; } = inplace;

    public override Tensor forward(Tensor input) => Inplace ? input.hardtanh_(0, 6) : nn.functional.relu6(input);
}
