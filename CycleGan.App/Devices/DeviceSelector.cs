
namespace CycleGan.App.Devices;

/// <summary>Turns the CLI's --device value (auto, cpu, cuda, cuda:N) into a TorchSharp device, with clear errors.</summary>
public static class DeviceSelector
{
    public const string Help = "auto (CUDA when available, else CPU), cpu, cuda or cuda:N";

    public static torch.Device Resolve(string? spec)
    {
        string value = (spec ?? "auto").Trim().ToLowerInvariant();
        if (value is "" or "auto")
        {
            return CudaAvailable() ? torch.CUDA : torch.CPU;
        }

        if (value == "cpu")
        {
            return torch.CPU;
        }

        if (value == "cuda" || value.StartsWith("cuda:", StringComparison.Ordinal))
        {
            int index = 0;
            if (value.Length > 4 && (!int.TryParse(value.AsSpan(5), out index) || index < 0))
            {
                throw new ArgumentException($"--device '{spec}' is not valid: the CUDA index must be a non-negative integer ({Help})", nameof(spec));
            }

            if (!CudaAvailable())
            {
                throw new ArgumentException(
                    $"--device '{spec}': CUDA is not available in this build or on this machine. Build with -p:TorchBackend=cuda " +
                    "(TorchSharp-cuda-linux from nuget.org) on a machine with an NVIDIA driver, or use --device cpu.", nameof(spec));
            }

            int count = torch.cuda.device_count();
            if (index >= count)
            {
                throw new ArgumentException($"--device '{spec}': there are {count} CUDA device(s), numbered 0 to {count - 1}", nameof(spec));
            }

            return new torch.Device(DeviceType.CUDA, index);
        }

        throw new ArgumentException($"--device '{spec}' is not valid: use {Help}", nameof(spec));
    }

    public static bool CudaAvailable()
    {
        try
        {
            return torch.cuda.is_available();
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or InvalidOperationException)
        {
            return false;
        }
    }
}
