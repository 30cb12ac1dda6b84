namespace CycleGan.App.Layers;

/// <summary>ReflectionPad2d(padding): mirror padding of (left, right, top, bottom), each smaller than the side it pads.</summary>
public sealed class ReflectionPad2d : nn.Module<Tensor, Tensor>
{
    public ReflectionPad2d(int padding)
        : this((padding, padding, padding, padding))
    {
    }

    public ReflectionPad2d((int Left, int Right, int Top, int Bottom) padding)
        : base(nameof(ReflectionPad2d))
    {
        if (padding.Left < 0 || padding.Right < 0 || padding.Top < 0 || padding.Bottom < 0)
        {
            throw new ArgumentException($"padding must be non-negative, got {padding}", nameof(padding));
        }

        Padding = padding;
    }

    public (int Left, int Right, int Top, int Bottom) Padding { get; }

    public override Tensor forward(Tensor input)
    {
        LayerArguments.Input(input, nameof(ReflectionPad2d), [3, 4]);
        return PaddingModeNames.Pad(input, Padding.Left, Padding.Right, Padding.Top, Padding.Bottom, "reflect");
    }
}
