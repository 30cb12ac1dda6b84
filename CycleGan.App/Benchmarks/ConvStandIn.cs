using TorchSharp;
using static TorchSharp.torch;

namespace CycleGan.App.Benchmarks;

/// <summary>
/// A stand-in for the ResNet generator's cost until the real networks exist: a plain stack of 3x3 convolutions at full
/// resolution with 64 channels. With 23 inner layers its forward is about 56 GMAC at 256x256, the same as the
/// reference's 9-block ResNet generator (ngf 64): 0.6 + 1.2 + 1.2 + 18 x 2.4 + 4.8 + 4.8 + 0.6 GMAC.
/// </summary>
public sealed class ConvStandIn : IDisposable
{
    private readonly List<nn.Module<Tensor, Tensor>> _layers = [];

    public ConvStandIn(int innerLayers, Device device)
    {
        _layers.Add(nn.Conv2d(3, 64, 3, padding: 1));
        for (int i = 0; i < innerLayers; i++)
        {
            _layers.Add(nn.Conv2d(64, 64, 3, padding: 1));
        }

        _layers.Add(nn.Conv2d(64, 3, 3, padding: 1));
        foreach (var layer in _layers)
        {
            layer.to(device);
        }
    }

    /// <summary>Multiply-accumulates of one forward pass at the given size.</summary>
    public static double ForwardGmac(int innerLayers, int size) =>
        (3.0 * 64 * 9 + innerLayers * 64.0 * 64 * 9 + 64.0 * 3 * 9) * size * size / 1e9;

    public Tensor Forward(Tensor x)
    {
        for (int i = 0; i < _layers.Count; i++)
        {
            x = _layers[i].forward(x);
            x = i < _layers.Count - 1 ? nn.functional.relu(x) : x.tanh();
        }

        return x;
    }

    public void Dispose()
    {
        foreach (var layer in _layers)
        {
            layer.Dispose();
        }
    }
}
