namespace CycleGan.App.Layers;

/// <summary>
/// Argument checks shared by the catalogue's layers. Every failure is an ArgumentException whose ParamName is the
/// PyTorch name of the offending parameter (or "input" for a tensor of the wrong shape), so that a wrong argument
/// never reaches libtorch as an opaque native error.
/// </summary>
public static class LayerArguments
{
    public static int Positive(int value, string paramName) =>
        value > 0 ? value : throw new ArgumentException($"{paramName} must be positive, got {value}", paramName);

    public static int NonNegative(int value, string paramName) =>
        value >= 0 ? value : throw new ArgumentException($"{paramName} must be non-negative, got {value}", paramName);

    public static (int, int) Positive((int, int) value, string paramName)
    {
        if (value.Item1 <= 0 || value.Item2 <= 0)
        {
            throw new ArgumentException($"{paramName} must be positive, got ({value.Item1}, {value.Item2})", paramName);
        }

        return value;
    }

    public static (int, int) NonNegative((int, int) value, string paramName)
    {
        if (value.Item1 < 0 || value.Item2 < 0)
        {
            throw new ArgumentException($"{paramName} must be non-negative, got ({value.Item1}, {value.Item2})", paramName);
        }

        return value;
    }

    public static double Probability(double p, string paramName = "p") =>
        p is >= 0 and <= 1 ? p : throw new ArgumentException($"{paramName} must be in [0, 1], got {p}", paramName);

    public static double Finite(double value, string paramName) =>
        double.IsFinite(value) ? value : throw new ArgumentException($"{paramName} must be finite, got {value}", paramName);

    /// <summary>Checks an input's rank (one of <paramref name="ranks"/>) and, when given, its channel count at dim -3 (for 3D/4D).</summary>
    public static void Input(Tensor input, string layer, int[] ranks, long? channels = null, int channelDimFromEnd = 3)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!ranks.Contains((int)input.dim()))
        {
            throw new ArgumentException(
                $"{layer} expects a {string.Join(" or ", ranks.Select(r => r + "D"))} input, got shape [{string.Join(", ", input.shape)}]", nameof(input));
        }

        if (channels is long c && input.shape[^channelDimFromEnd] != c)
        {
            throw new ArgumentException(
                $"{layer} expects {c} channels at dimension {input.dim() - channelDimFromEnd}, got shape [{string.Join(", ", input.shape)}]", nameof(input));
        }
    }
}
