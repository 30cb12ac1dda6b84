using CycleGan.App.Layers;

namespace CycleGan.Tests.Export;

/// <summary>
/// Fills every parameter and buffer of a network from its own seeded generator (not libtorch's global one), at scales
/// that keep activations of order one, so that outputs vary across the tanh's range and a comparison means something.
/// Batch norm gets running statistics that differ from 0 and 1, so that they matter.
/// </summary>
internal static class RandomWeights
{
    public static void Fill(nn.Module module, long seed)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        using var g = new torch.Generator((ulong)seed);
        foreach (var (name, t) in module.state_dict())
        {
            if (t.dtype != ScalarType.Float32)
            {
                continue; // num_batches_tracked
            }

            Tensor value = name switch
            {
                _ when name.EndsWith("running_mean", StringComparison.Ordinal) => torch.randn(t.shape, generator: g) * Scalars.Of(0.1),
                _ when name.EndsWith("running_var", StringComparison.Ordinal) => torch.rand(t.shape, generator: g).Plus(Scalars.Of(0.5)),
                _ when t.dim() == 1 && name.EndsWith("weight", StringComparison.Ordinal) => (torch.randn(t.shape, generator: g) * Scalars.Of(0.2)).Plus(Scalars.Of(1.0)),
                _ when t.dim() == 1 => torch.randn(t.shape, generator: g) * Scalars.Of(0.1),
                _ => torch.randn(t.shape, generator: g) / Scalars.Of(Math.Sqrt(t.numel() / t.shape[0])),
            };
            t.copy_(value);
        }
    }
}
