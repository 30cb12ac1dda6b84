namespace CycleGan.App.Verification.Catalogue;

/// <summary>
/// One layer of the catalogue: what it is, how it is built on TorchSharp, which managed kernel checks it, and the
/// seeded cases that compare the two. Entries are found by reflection; <see cref="LayerCatalogue.Order"/> fixes their order.
/// </summary>
public abstract class LayerEntry
{
    /// <summary>PyTorch's name of the layer, e.g. "Conv2d".</summary>
    public abstract string Name { get; }

    /// <summary>How the layer is built: the CycleGan.App.Layers class and the TorchSharp calls it makes.</summary>
    public abstract string Construction { get; }

    /// <summary>The managed reference kernel (class in CycleGan.Kernels) that cross-checks it.</summary>
    public abstract string ReferenceKernel { get; }

    /// <summary>The parameter surface, as PyTorch documents it.</summary>
    public abstract string Parameters { get; }

    /// <summary>False for layers with no gradient (only their forward is checked).</summary>
    public virtual bool Differentiable => true;

    /// <summary>The cross-check cases; the same seed gives the same cases.</summary>
    public abstract IEnumerable<CheckCase> Cases(int seed);
}

/// <summary>One seeded configuration of a layer, compared between TorchSharp and the reference kernel.</summary>
public abstract class CheckCase
{
    protected CheckCase(string name) => Name = name;

    public string Name { get; }

    /// <summary>Runs the case on the device in the dtype (float32 or float64). Tensors live in a dispose scope inside.</summary>
    public abstract IReadOnlyList<Comparison> Run(TorchSharp.torch.Device device, TorchSharp.torch.ScalarType dtype);

    public override string ToString() => Name;
}

/// <summary>A case that is a plain function, for checks that do not fit <see cref="ModuleCheck"/> (e.g. dropout statistics).</summary>
public sealed class DelegateCheck(string name, Func<TorchSharp.torch.Device, TorchSharp.torch.ScalarType, IReadOnlyList<Comparison>> run)
    : CheckCase(name)
{
    public override IReadOnlyList<Comparison> Run(TorchSharp.torch.Device device, TorchSharp.torch.ScalarType dtype) => run(device, dtype);
}
