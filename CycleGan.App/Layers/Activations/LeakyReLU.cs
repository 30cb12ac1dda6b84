namespace CycleGan.App.Layers;

/// <summary>LeakyReLU(negative_slope = 0.01, inplace): x for x &gt; 0, negative_slope * x otherwise.</summary>
public sealed class LeakyReLU : nn.Module<Tensor, Tensor>
{
    public LeakyReLU(double negative_slope = 0.01, bool inplace = false)
        : base(nameof(LeakyReLU))
    {
        NegativeSlope = LayerArguments.Finite(negative_slope, nameof(negative_slope));
        Inplace = inplace;
    }

    public double NegativeSlope { get; }

    public bool Inplace { get; }

    public override Tensor forward(Tensor input) =>
        Inplace ? input.leaky_relu_(Scalars.Of(NegativeSlope)) : input.leaky_relu(Scalars.Of(NegativeSlope));
}
