namespace CycleGan.App.Layers;

/// <summary>Sigmoid: 1 / (1 + exp(-x)).</summary>
public sealed class Sigmoid() : nn.Module<Tensor, Tensor>(nameof(Sigmoid))
{
    public override Tensor forward(Tensor input) => input.sigmoid();
}
