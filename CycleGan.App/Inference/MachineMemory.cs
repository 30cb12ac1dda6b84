namespace CycleGan.App.Inference;

/// <summary>
/// The machine's own answers: the line measured by forward passes (<see cref="ForwardMemory.Measure"/>), and the
/// memory available (<see cref="AvailableMemory.Bytes"/>) plus what this process's allocator has kept since the
/// measurement began, which it reuses.
/// </summary>
public sealed class MachineMemory : IMemoryGauge
{
    private long residentAtStart;

    public ForwardMemory? Measure(nn.Module<Tensor, Tensor> generator, int channels, Device device)
    {
        residentAtStart = AvailableMemory.ResidentAndPeak()?.Resident ?? 0;
        return ForwardMemory.Measure(generator, channels, device);
    }

    public long Available() =>
        AvailableMemory.Bytes() + (AvailableMemory.ResidentAndPeak() is { } r ? Math.Max(0, r.Resident - residentAtStart) : 0);
}
