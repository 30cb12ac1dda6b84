using CycleGan.Kernels;

namespace CycleGan.App.Verification.Catalogue;

/// <summary>Moves values between TorchSharp tensors and the reference kernels' RefTensor.</summary>
public static class TensorConversion
{
    public static Tensor ToTorch(RefTensor value, ScalarType dtype, Device device)
    {
        ArgumentNullException.ThrowIfNull(value);
        long[] shape = value.Shape.Select(d => (long)d).ToArray();
        if (dtype == ScalarType.Int64)
        {
            long[] ints = value.Data.Select(v => (long)Math.Round(v)).ToArray();
            return torch.tensor(ints, shape, dtype: ScalarType.Int64, device: device);
        }

        return torch.tensor(value.Data, shape, dtype: ScalarType.Float64).to(dtype, device);
    }

    public static RefTensor ToRef(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        using var scope = torch.NewDisposeScope();
        var cpu = tensor.detach().cpu().to_type(ScalarType.Float64).contiguous();
        int[] shape = cpu.shape.Select(d => checked((int)d)).ToArray();
        return new RefTensor(shape, cpu.data<double>().ToArray());
    }
}
