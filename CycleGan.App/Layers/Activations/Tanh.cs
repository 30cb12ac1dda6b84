namespace CycleGan.App.Layers;

/// <summary>Tanh: the hyperbolic tangent, the generator's output activation.</summary>
public sealed class Tanh() : nn.Module<Tensor, Tensor>(nameof(Tanh))
{
    public override Tensor forward(Tensor input) => input.tanh();
}
