namespace CycleGan.App.Layers;

/// <summary>Identity: returns its input; like PyTorch's, it accepts and ignores any constructor arguments.</summary>
public sealed class Identity : nn.Module<Tensor, Tensor>
{
    public Identity(params object?[] ignored)
        : base(nameof(Identity)) => _ = ignored;

    public override Tensor forward(Tensor input) => input;
}
