using CycleGan.App.Layers;
using CycleGan.Kernels;

namespace CycleGan.App.Verification.Catalogue;

/// <summary>
/// Dropout is random, so its checks are statistical and structural: the share dropped lies in the 99.9% binomial
/// interval, survivors are scaled by exactly 1/(1-p), eval is the identity, p = 0 and p = 1 behave, Dropout2d drops
/// whole channels, and the reference reproduces TorchSharp's output and gradient when given TorchSharp's own mask.
/// </summary>
internal static class DropoutChecks
{
    public static IEnumerable<CheckCase> Cases(int seed, bool channelwise, Func<double, bool, nn.Module<Tensor, Tensor>> create)
    {
        int[] shape = channelwise ? [32, 64, 3, 2] : [48, 96];
        foreach (double p in new[] { 0.2, 0.5, 0.8 })
        {
            yield return new DelegateCheck($"p={p} train: share dropped, scaling, mask reproduced [{string.Join(",", shape)}]",
                (device, dtype) => Train(device, dtype, p, shape, channelwise, create, seed));
        }

        yield return new DelegateCheck("p=0.5 eval is the identity", (device, dtype) => Exactly(device, dtype, create(0.5, false), eval: true, shape, keep: true));
        yield return new DelegateCheck("p=0 train is the identity", (device, dtype) => Exactly(device, dtype, create(0, false), eval: false, shape, keep: true));
        yield return new DelegateCheck("p=1 train gives zeros", (device, dtype) => Exactly(device, dtype, create(1, false), eval: false, shape, keep: false));
        yield return new DelegateCheck("p=0.5 inplace writes into its input", (device, dtype) => Inplace(device, dtype, create(0.5, true), shape));
    }

    private static IReadOnlyList<Comparison> Train(Device device, ScalarType dtype, double p, int[] shape, bool channelwise,
        Func<double, bool, nn.Module<Tensor, Tensor>> create, int seed)
    {
        using var scope = torch.NewDisposeScope();
        // dropout's masks come from libtorch's process-wide generator (it takes no generator of its own)
        torch.manual_seed(seed);
        var module = create(p, false);
        module.train();
        var random = new Random(seed);
        RefTensor xr = RefTensor.Uniform(random, 1, 2, shape); // no zeros, so a zero output marks a dropped element
        Tensor x = TensorConversion.ToTorch(xr, dtype, device).requires_grad_(true);
        Tensor y = module.call(x);
        RefTensor gr = RefTensor.Uniform(random, -1, 1, shape);
        Tensor g = TensorConversion.ToTorch(gr, dtype, device);
        y.backward([g]);
        RefTensor yr = TensorConversion.ToRef(y), gradr = TensorConversion.ToRef(x.grad!);
        xr = TensorConversion.ToRef(x);
        gr = TensorConversion.ToRef(g);

        var mask = RefTensor.ZerosLike(yr);
        for (int i = 0; i < mask.Count; i++)
        {
            mask.Data[i] = yr.Data[i] == 0 ? 0 : 1;
        }

        var results = new List<Comparison>();
        int unit = channelwise ? shape[2] * shape[3] : 1; // elements per dropped unit
        int units = mask.Count / unit;
        int dropped = 0, mixed = 0;
        for (int u = 0; u < units; u++)
        {
            int kept = 0;
            for (int k = 0; k < unit; k++)
            {
                kept += (int)mask.Data[(u * unit) + k];
            }

            dropped += kept == 0 ? 1 : 0;
            mixed += kept != 0 && kept != unit ? 1 : 0;
        }

        var (low, high) = DropoutKernel.CountInterval(units, p);
        double share = dropped / (double)units;
        results.Add(new Comparison($"share dropped {share:F3} (99.9% interval {low / units:F3}..{high / units:F3})",
            Math.Abs(share - p), Math.Abs(share - p) / p, (high - low) / 2 / units, dropped >= low && dropped <= high));
        if (channelwise)
        {
            results.Add(new Comparison($"channels partly dropped: {mixed}", mixed, mixed, 0, mixed == 0));
        }

        double tol = Tolerances.For(dtype);
        results.Add(Comparisons.Compare("output (reference given TorchSharp's mask)", yr, DropoutKernel.Forward(xr, mask, p), tol));
        results.Add(Comparisons.Compare("grad input (reference given TorchSharp's mask)", gradr, DropoutKernel.Backward(gr, mask, p), tol));
        return results;
    }

    private static IReadOnlyList<Comparison> Exactly(Device device, ScalarType dtype, nn.Module<Tensor, Tensor> module, bool eval, int[] shape, bool keep)
    {
        using var scope = torch.NewDisposeScope();
        module.train(!eval);
        RefTensor xr = RefTensor.Uniform(new Random(5), 1, 2, shape);
        Tensor x = TensorConversion.ToTorch(xr, dtype, device);
        RefTensor expected = keep ? TensorConversion.ToRef(x) : RefTensor.ZerosLike(xr);
        return [Comparisons.Exact(keep ? "output equals input" : "output is zero", TensorConversion.ToRef(module.call(x)), expected)];
    }

    private static IReadOnlyList<Comparison> Inplace(Device device, ScalarType dtype, nn.Module<Tensor, Tensor> module, int[] shape)
    {
        using var scope = torch.NewDisposeScope();
        module.train();
        Tensor x = TensorConversion.ToTorch(RefTensor.Uniform(new Random(6), 1, 2, shape), dtype, device);
        Tensor y;
        using (torch.no_grad())
        {
            y = module.call(x);
        }

        return [Comparisons.Exact("input holds the output", TensorConversion.ToRef(x), TensorConversion.ToRef(y))];
    }
}

/// <summary>Dropout and Dropout2d differ only in what one mask element covers (an element or a whole channel).</summary>
public abstract class DropoutLayerEntry(string name, string construction, string referenceKernel, bool channelwise,
    Func<double, bool, nn.Module<Tensor, Tensor>> create) : LayerEntry
{
    public override string Name => name;

    public override string Construction => construction;

    public override string ReferenceKernel => referenceKernel;

    public override string Parameters => "p=0.5 in [0, 1], inplace=False";

    public override IEnumerable<CheckCase> Cases(int seed) => DropoutChecks.Cases(seed, channelwise, create);
}

public sealed class DropoutEntry() : DropoutLayerEntry("Dropout", "Layers.Dropout -> nn.functional.dropout(p, training, inplace)",
    nameof(DropoutKernel) + " (given the mask) + binomial interval", channelwise: false, (p, inplace) => new Dropout(p, inplace));

public sealed class Dropout2dEntry() : DropoutLayerEntry("Dropout2d", "Layers.Dropout2d -> nn.functional.dropout2d(p, training, inplace)",
    nameof(DropoutKernel) + " (given the channel mask) + binomial interval", channelwise: true, (p, inplace) => new Dropout2d(p, inplace));
