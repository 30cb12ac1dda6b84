namespace CycleGan.App.Layers;

/// <summary>GELU(approximate = "none" | "tanh"): x * Phi(x), exactly (erf) or with the tanh approximation.</summary>
public sealed class GELU : nn.Module<Tensor, Tensor>
{
    public GELU(string approximate = "none")
        : base(nameof(GELU))
    {
        Approximate = approximate switch
        {
            "none" or "tanh" => approximate,
            _ => throw new ArgumentException($"approximate must be 'none' or 'tanh', got '{approximate}'", nameof(approximate)),
        };
    }

    public string Approximate { get; }

    public override Tensor forward(Tensor input) =>
        nn.functional.gelu(input, Approximate == "tanh" ? TorchSharp.Modules.GELU.Approximate.tanh : TorchSharp.Modules.GELU.Approximate.none);
}
