namespace CycleGan.App.Generators;

/// <summary>A generator with what it is. <see cref="GeneratorSource"/> makes them from files, in eval mode, after checking
/// the weights, so a holder of one never runs weights of the wrong shapes or a file of the other direction; training-time
/// scoring wraps the generators being trained (and does not dispose them).</summary>
public sealed class LoadedGenerator(GeneratorIdentity identity, nn.Module<Tensor, Tensor> network) : IDisposable
{
    public GeneratorIdentity Identity { get; } = identity;

    public nn.Module<Tensor, Tensor> Network { get; } = network;

    public void Dispose() => Network.Dispose();
}
