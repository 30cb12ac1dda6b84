using CycleGan.Data.Imaging;
using CycleGan.Data.Transforms;

namespace CycleGan.Data.Datasets;

/// <summary>The reference's data options in one record (dataroot, phase, serial_batches, max_dataset_size, the
/// transform, input_nc/output_nc), plus the run's seed.</summary>
public sealed record UnpairedDatasetOptions
{
    public required string Root { get; init; }

    /// <summary>"train" or "test": which pair of folders is read.</summary>
    public string Phase { get; init; } = "train";

    public TransformOptions Transform { get; init; } = new();

    /// <summary>Channels of domain A's tensors, 1 or 3 (the reference's input_nc).</summary>
    public int ChannelsA { get; init; } = 3;

    /// <summary>Channels of domain B's tensors, 1 or 3 (output_nc).</summary>
    public int ChannelsB { get; init; } = 3;

    public long Seed { get; init; }

    /// <summary>B in order (index mod |B|) and no per-epoch shuffle, as the reference's serial_batches.</summary>
    public bool SerialBatches { get; init; }

    public int MaxDatasetSize { get; init; } = int.MaxValue;

    public DecodeOptions Decode { get; init; } = DecodeOptions.Default;

    /// <summary>Receives one line per skipped or ignored file; the library has no logger of its own.</summary>
    public Action<string>? Warn { get; init; }
}
