namespace CycleGan.App.Layers;

/// <summary>SELU(inplace): scale * (x for x &gt; 0, alpha * (exp(x) - 1) otherwise), with the self-normalising constants.</summary>
public sealed class SELU(bool inplace = false) : nn.Module<Tensor, Tensor>(nameof(SELU))
{
    public bool Inplace { get; } = inplace;

    public override Tensor forward(Tensor input) => Inplace ? input.selu_() : nn.functional.selu(input);
}
