using CycleGan.App.Layers;

namespace CycleGan.App.Models;

/// <summary>The generator's and discriminator's normalisation, as the reference's get_norm_layer.</summary>
public enum NormKind
{
    /// <summary>InstanceNorm2d without affine parameters or running statistics (the CycleGAN default).</summary>
    Instance,

    /// <summary>BatchNorm2d with affine parameters and running statistics.</summary>
    Batch,

    /// <summary>No normalisation (an Identity in its place).</summary>
    None,
}

public static class Norms
{
    public static NormKind Parse(string name) => name switch
    {
        "instance" => NormKind.Instance,
        "batch" => NormKind.Batch,
        "none" => NormKind.None,
        _ => throw new ArgumentException($"norm '{name}' is not one of instance, batch, none", nameof(name)),
    };

    public static nn.Module<Tensor, Tensor> Create(NormKind kind, int channels) => kind switch
    {
        NormKind.Instance => new InstanceNorm2d(channels, affine: false, track_running_stats: false),
        NormKind.Batch => new BatchNorm2d(channels, affine: true, track_running_stats: true),
        _ => new Identity(),
    };

    /// <summary>
    /// Whether convolutions carry a bias: the reference gives them one only when the norm is InstanceNorm2d (which
    /// has no shift of its own); BatchNorm's bias makes a conv bias redundant, and with no norm the reference's
    /// test (norm_layer == InstanceNorm2d) is false as well.
    /// </summary>
    public static bool ConvBias(NormKind kind) => kind == NormKind.Instance;
}
