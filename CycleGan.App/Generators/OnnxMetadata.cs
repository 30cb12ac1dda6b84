namespace CycleGan.App.Generators;

/// <summary>
/// The names an exported generator's ONNX model uses: its input and output, and the metadata_props keys that say what
/// it is. The ONNX engine reads them; a model without them (PyTorch's own export, say) still runs.
/// </summary>
public static class OnnxMetadata
{
    public const string InputName = "image";

    public const string OutputName = "translated";

    public const string Producer = "cyclegan";

    /// <summary>AtoB or BtoA.</summary>
    public const string Direction = "cyclegan.direction";

    /// <summary>Epochs completed when the checkpoint was written (absent for .pth weights).</summary>
    public const string Epoch = "cyclegan.epoch";

    /// <summary>resnet_9blocks, unet_256, ...</summary>
    public const string Generator = "cyclegan.netG";

    /// <summary>Image sides must be multiples of this (4 for ResNets, 2^downsamplings for U-Nets).</summary>
    public const string SideMultiple = "cyclegan.side_multiple";

    /// <summary>The value range of input and output: "-1,1".</summary>
    public const string Range = "cyclegan.range";

    /// <summary>The whole resolved config JSON the model was trained with.</summary>
    public const string Config = "cyclegan.config";

    /// <summary>Where the weights came from (a checkpoint or .pth path).</summary>
    public const string Source = "cyclegan.source";
}
