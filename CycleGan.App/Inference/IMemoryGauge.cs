namespace CycleGan.App.Inference;

/// <summary>
/// What translate's memory guard reads from the machine: the generator's memory line and the memory this process
/// may take now. <see cref="MachineMemory"/> measures them; a gauge with fixed answers decides each branch of the
/// guard exactly, whatever machine runs it.
/// </summary>
public interface IMemoryGauge
{
    /// <summary>The memory line of <paramref name="generator"/>; null where it cannot be measured (no image is then
    /// split, shrunk or refused in advance).</summary>
    ForwardMemory? Measure(nn.Module<Tensor, Tensor> generator, int channels, Device device);

    /// <summary>Bytes this process may take now, before translate's reserve and margin.</summary>
    long Available();
}
