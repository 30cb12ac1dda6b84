namespace CycleGan.App.Layers;

/// <summary>ReLU(inplace): max(0, x).</summary>
public sealed class ReLU(bool inplace = false) : nn.Module<Tensor, Tensor>(nameof(ReLU))
{
    public bool Inplace { get; } = inplace;

    public override Tensor forward(Tensor input) => Inplace ? input.relu_() : nn.functional.relu(input);
}
