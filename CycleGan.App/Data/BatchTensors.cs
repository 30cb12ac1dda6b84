using CycleGan.Data.Loading;

namespace CycleGan.App.Data;

/// <summary>Moves the loader's float[] NCHW batches into TorchSharp tensors and back. CycleGan.Data knows nothing of
/// TorchSharp; this is the one place they meet.</summary>
public static class BatchTensors
{
    /// <summary>
    /// The batch as a float32 tensor on <paramref name="device"/>, created in the caller's dispose scope. For CUDA the
    /// host copy is pinned first so the upload can run asynchronously (non_blocking); the pinned host tensor stays
    /// alive in the same scope until the iteration ends, which the asynchronous copy needs.
    /// </summary>
    public static Tensor ToTensor(ImageBatch batch, Device device)
    {
        Tensor host = torch.tensor(batch.Data, batch.Shape, ScalarType.Float32);
        if (device.type != DeviceType.CUDA)
        {
            return host;
        }

        Tensor pinned = host.pin_memory();
        return pinned.to(device, non_blocking: true);
    }

    /// <summary>A [N, C, H, W] (or [C, H, W]) tensor back to a host batch, e.g. to save generated images.</summary>
    public static ImageBatch ToBatch(Tensor images, IReadOnlyList<string> paths)
    {
        using var scope = torch.NewDisposeScope();
        Tensor t = images.dim() == 3 ? images.unsqueeze(0) : images;
        if (t.dim() != 4)
        {
            throw new ArgumentException($"expected an NCHW or CHW tensor, got shape [{string.Join(", ", images.shape)}]");
        }

        float[] data = t.detach().to(ScalarType.Float32).cpu().contiguous().data<float>().ToArray();
        return new ImageBatch(data, (int)t.shape[0], (int)t.shape[1], (int)t.shape[2], (int)t.shape[3], paths);
    }
}
