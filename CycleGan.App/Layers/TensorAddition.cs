namespace CycleGan.App.Layers;

/// <summary>
/// Addition with its alpha of 1 passed as a Scalar kept alive. TorchSharp 0.107's <c>+</c> operator,
/// <c>Tensor.add(Tensor)</c>, <c>add(Scalar)</c> and <c>add_(Scalar)</c> pass that 1 as a temporary Scalar which only the
/// finalizer frees, so a garbage collection during the call can free it under libtorch (see <see cref="Scalars"/>;
/// BannedSymbols.TorchSharp.txt lists every such TorchSharp call).
/// </summary>
internal static class TensorAddition
{
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, Scalars.One);

    public static Tensor Plus(this Tensor a, Scalar b) => a.add(b, Scalars.One);

    public static Tensor PlusInPlace(this Tensor a, Scalar b) => a.add_(b, Scalars.One);
}
