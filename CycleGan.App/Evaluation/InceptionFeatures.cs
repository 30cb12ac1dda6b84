using CycleGan.App.Layers;

namespace CycleGan.App.Evaluation;

/// <summary>
/// Collects FID Inception features image by image, as pytorch-fid sees images read from files: each [-1, 1] image is
/// rounded to 8 bits (what a saved PNG holds), gray repeated to three channels, resized to 299x299 and run in batches.
/// </summary>
public sealed class InceptionFeatures(FidInception network, Device device, int batch = 8) : IDisposable
{
    private readonly List<Tensor> pending = [];
    private readonly List<Tensor> features = [];

    public int Count { get; private set; }

    /// <summary>Adds a [1, C, H, W] image with values in [-1, 1] (C = 1 or 3).</summary>
    public void Add(Tensor image)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor unit = (image.detach().to(ScalarType.Float32).clamp(Scalars.Of(-1.0), Scalars.Of(1.0)).Plus(Scalars.Of(1.0)) * Scalars.Of(127.5)).round() / Scalars.Of(255.0);
        if (unit.shape[1] == 1)
        {
            unit = unit.expand(-1, 3, -1, -1);
        }

        Tensor resized = nn.functional.interpolate(unit.to(device), [FidInception.InputSide, FidInception.InputSide],
            mode: InterpolationMode.Bilinear, align_corners: false);
        pending.Add(resized.DetachFromDisposeScope()); // owned here until Flush, whatever scope the caller runs in
        Count++;
        if (pending.Count >= batch)
        {
            Flush();
        }
    }

    /// <summary>All features so far, [n, 2048] float32 on the CPU (the caller owns the tensor).</summary>
    public Tensor Collect()
    {
        Flush();
        return features.Count == 0 ? zeros(0, FidInception.Dimensions) : cat(features, 0);
    }

    private void Flush()
    {
        if (pending.Count == 0)
        {
            return;
        }

        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            // the images are already 299x299, so the network's own resize leaves them as they are
            features.Add(network.Features(cat(pending, 0)).cpu().DetachFromDisposeScope());
        }

        foreach (var t in pending)
        {
            t.Dispose();
        }

        pending.Clear();
    }

    public void Dispose()
    {
        foreach (var t in pending.Concat(features))
        {
            t.Dispose();
        }
    }
}
