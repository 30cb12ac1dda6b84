namespace CycleGan.App.Inference;

/// <summary>
/// The memory a generator's forward pass takes above what the process held before it, as a straight line in the
/// pixels of the batch: <c>Fixed + PerPixel * pixels</c>. It is measured, not assumed: the peak resident memory
/// (the kernel's VmHWM, reset before each pass) of forward passes at two small sizes, so the line follows whatever
/// convolution path and network are in use. Every activation and convolution buffer of these fully convolutional
/// generators grows with the pixel count, which is what makes the line fit.
/// </summary>
public sealed record ForwardMemory(double PerPixel, long Fixed)
{
    /// <summary>Images up to this many pixels (128x128) need no estimate: the calibration itself ran a forward that large.</summary>
    public const long CalibrationPixels = 128 * 128;

    /// <summary>Bytes a forward of <paramref name="pixels"/> (batch x height x width, padded) is expected to take.</summary>
    public long Need(long pixels) => Fixed + (long)Math.Ceiling(PerPixel * pixels);

    /// <summary>The most pixels whose forward fits in <paramref name="bytes"/>.</summary>
    public long MaxPixels(long bytes) => bytes <= Fixed ? 0 : (long)((bytes - Fixed) / PerPixel);

    /// <summary>
    /// Measures the line for <paramref name="generator"/>: warm-up passes, then the peaks of passes at 64x64 and
    /// 128x128. Null where the process's peak memory cannot be read (outside Linux).
    /// </summary>
    public static ForwardMemory? Measure(nn.Module<Tensor, Tensor> generator, int channels, Device device)
    {
        ArgumentNullException.ThrowIfNull(generator);
        // resident memory says nothing of a GPU's memory
        if (device.type != DeviceType.CPU || AvailableMemory.ResidentAndPeak() is null || !AvailableMemory.ResetPeak())
        {
            return null;
        }

        // warm-up at both sizes: thread pools, and the kernels chosen (and checked) once per convolution configuration
        Peak(generator, channels, 64, device);
        Peak(generator, channels, 128, device);
        long small = Peak(generator, channels, 64, device), large = Peak(generator, channels, 128, device);
        const long smallPixels = 64 * 64, largePixels = CalibrationPixels;
        double slope = (large - small) / (double)(largePixels - smallPixels);
        // never below the large pass's own bytes per pixel: a slope flattened by memory the allocator kept from the
        // first pass must not make big images look cheap
        double perPixel = Math.Max(slope, large / (double)largePixels);
        long fixedBytes = Math.Max(0, large - (long)(perPixel * largePixels));
        return new ForwardMemory(perPixel, fixedBytes);
    }

    /// <summary>The rise of the resident peak over the resident memory before one forward pass of a side x side image.</summary>
    internal static long Peak(nn.Module<Tensor, Tensor> generator, int channels, int side, Device device)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        NativeHeap.Trim();
        AvailableMemory.ResetPeak();
        long before = AvailableMemory.ResidentAndPeak()!.Value.Resident;
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            generator.call(zeros(1, channels, side, side, device: device));
        }

        return Math.Max(0, AvailableMemory.ResidentAndPeak()!.Value.Peak - before);
    }
}
