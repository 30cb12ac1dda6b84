using System.Globalization;

namespace CycleGan.App.Models;

/// <summary>
/// PyTorch's nn.Sequential(*layers): children named 0, 1, 2, ... so that state-dict keys read model.1.weight. TorchSharp's
/// own Sequential disposes each intermediate result, which breaks layers that return their input or work in place
/// (Identity, ReLU(inplace)). Here an intermediate result is freed once the next layer has made its own: PyTorch frees
/// it then, by reference count, while a dispose scope would keep every activation of the network until it ends (a
/// 512x512 image through the ResNet generator: gigabytes). Autograd keeps its own references to what backward needs.
/// </summary>
public sealed class Sequence : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor>[] layers;

    public Sequence(IEnumerable<nn.Module<Tensor, Tensor>> layers)
        : base("Sequential")
    {
        this.layers = layers.ToArray();
        for (int i = 0; i < this.layers.Length; i++)
        {
            register_module(i.ToString(CultureInfo.InvariantCulture), this.layers[i]);
        }
    }

    public IReadOnlyList<nn.Module<Tensor, Tensor>> Layers => layers;

    public override Tensor forward(Tensor input)
    {
        Tensor x = input;
        foreach (var layer in layers)
        {
            Tensor next = layer.call(x);
            if (!ReferenceEquals(x, input) && !ReferenceEquals(next, x))
            {
                x.Dispose();
            }

            x = next;
        }

        return x;
    }
}
