namespace CycleGan.App.Layers;

/// <summary>PyTorch's padding_mode names and the TorchSharp modes they map to.</summary>
public static class PaddingModeNames
{
    public static readonly string[] All = ["zeros", "reflect", "replicate", "circular"];

    public static string Check(string mode, string paramName = "padding_mode") =>
        All.Contains(mode) ? mode : throw new ArgumentException($"{paramName} must be one of {string.Join(", ", All)}; got '{mode}'", paramName);

    public static PaddingModes ToTorch(string mode) => mode switch
    {
        "zeros" => PaddingModes.Constant,
        "reflect" => PaddingModes.Reflect,
        "replicate" => PaddingModes.Replicate,
        _ => PaddingModes.Circular,
    };

    /// <summary>Pads (left, right, top, bottom) of the last two dims, refusing amounts the mode cannot take.</summary>
    public static Tensor Pad(Tensor input, int left, int right, int top, int bottom, string mode)
    {
        long h = input.shape[^2], w = input.shape[^1];
        if (mode == "reflect" && (left >= w || right >= w || top >= h || bottom >= h))
        {
            throw new ArgumentException(
                $"reflection padding ({left}, {right}, {top}, {bottom}) must be smaller than the input's sides {h}x{w}", "padding");
        }

        if (mode == "circular" && (left > w || right > w || top > h || bottom > h))
        {
            throw new ArgumentException(
                $"circular padding ({left}, {right}, {top}, {bottom}) must not exceed the input's sides {h}x{w}", "padding");
        }

        return nn.functional.pad(input, [left, right, top, bottom], ToTorch(mode));
    }
}
