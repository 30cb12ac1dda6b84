namespace CycleGan.Data.Datasets;

/// <summary>
/// Where the data stream stands: the epoch (the trainer's own numbering) and how many samples of that epoch were
/// already handed out. A plain record so the trainer can serialise it with System.Text.Json beside its checkpoint;
/// because every sample's randomness is derived from (seed, epoch, offset), restoring it continues the exact stream.
/// </summary>
public sealed record DatasetPosition(int Epoch, int Offset)
{
    public static DatasetPosition StartOf(int epoch) => new(epoch, 0);
}
