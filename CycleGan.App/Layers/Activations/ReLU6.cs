namespace CycleGan.App.Layers;

/// <summary>ReLU6(inplace): min(max(0, x), 6).</summary>
public sealed class ReLU6(bool inplace = false) : nn.Module<Tensor, Tensor>(nameof(ReLU6))
{
    public bool Inplace { get; } = inplace;

    // not Tensor.hardtanh: TorchSharp 0.107's out-of-place hardtanh returns its input unclamped
    public override Tensor forward(Tensor input) =>
        Inplace ? input.hardtanh_(Scalars.Of(0.0), Scalars.Of(6.0)) : nn.functional.relu6(input);
}
