namespace CycleGan.App.Layers;

/// <summary>The number format float32 convolutions compute in (train.precision, translate --precision).</summary>
public enum ConvolutionPrecision
{
    /// <summary>float32 throughout.</summary>
    Fp32,

    /// <summary>
    /// Conv2d and ConvTranspose2d cast their input, weight and bias to bfloat16 and their output back to float32; oneDNN
    /// accumulates in float32. Parameters, gradients, optimiser state, losses and normalisation stay float32.
    /// </summary>
    Bf16,
}

public static class ConvolutionPrecisions
{
    /// <summary>The names a config and the command line use, in the enum's order.</summary>
    public static readonly string[] Names = ["fp32", "bf16"];

    public static ConvolutionPrecision Parse(string name) => Array.IndexOf(Names, name) is var i and >= 0
        ? (ConvolutionPrecision)i
        : throw new ArgumentException($"precision '{name}' is not one of {string.Join(", ", Names)}", nameof(name));

    public static string Name(this ConvolutionPrecision precision) => Names[(int)precision];

    /// <summary>Sets the precision of every Conv2d and ConvTranspose2d in <paramref name="network"/>; returns the network.</summary>
    public static T WithConvolutionPrecision<T>(this T network, ConvolutionPrecision precision)
        where T : nn.Module
    {
        ArgumentNullException.ThrowIfNull(network);
        foreach (nn.Module module in network.named_modules().Select(m => m.module).Prepend(network))
        {
            switch (module)
            {
                case Conv2d conv:
                    conv.Precision = precision;
                    break;
                case ConvTranspose2d transposed:
                    transposed.Precision = precision;
                    break;
            }
        }

        return network;
    }
}
