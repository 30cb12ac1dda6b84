using TorchSharp.PyBridge;

using CycleGan.App.Generators;

namespace CycleGan.App.Export;

/// <summary>One comparison of an exported file against the network it came from.</summary>
public sealed record VerifyCase(string File, int Batch, int Height, int Width, double MaxAbs, double Tolerance)
{
    public bool Passed => MaxAbs <= Tolerance;
}

/// <summary>
/// Checks exported files against the TorchSharp networks they were made from, on random images in [-1, 1]: an ONNX
/// model run by ONNX Runtime must agree within <see cref="OnnxTolerance"/> (max abs), a weights file loaded back into
/// a fresh network of the same config must give bit-identical outputs.
/// </summary>
public static class ExportVerifier
{
    public const double OnnxTolerance = 1e-4;

    public static readonly int[] Batches = [1, 3];

    /// <summary>Three sizes each network takes: for the ResNets (multiple 4) 32x48, 64x64 and 256x256; for the U-Nets
    /// (multiple m = 2^downsamplings) m x m, m x 2m and 2m x m.</summary>
    public static (int H, int W)[] DefaultSizes(int multiple) => multiple <= 4
        ? [(32, 48), (64, 64), (256, 256)]
        : [(multiple, multiple), (multiple, 2 * multiple), (2 * multiple, multiple)];

    public static IReadOnlyList<VerifyCase> Verify(ExportSource source, IReadOnlyList<ExportedFile> files, string format,
        IReadOnlyList<(int H, int W)>? sizes = null, long seed = 1)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(files);
        var cases = new List<VerifyCase>();
        foreach (ExportedFile file in files)
        {
            nn.Module<Tensor, Tensor> net = source.Networks[file.Network];
            int channels = file.Network switch
            {
                "G_A" or "D_B" => source.Config.Data.InputNc,
                _ => source.Config.Data.OutputNc,
            };
            var fileSizes = sizes ?? (file.Network.StartsWith('G') ? DefaultSizes(source.Identity("G_A").SideMultiple) : [(64, 64)]);
            if (format == "onnx")
            {
                using var onnx = OnnxGenerator.Open(file.Path);
                cases.AddRange(Compare(net, onnx, channels, fileSizes, file.Path, OnnxTolerance, seed));
            }
            else
            {
                using nn.Module<Tensor, Tensor> reloaded = Reload(source, file, format);
                cases.AddRange(Compare(net, reloaded, channels, fileSizes, file.Path, 0, seed));
            }
        }

        return cases;
    }

    /// <summary>Both modules on the same random batches; the max abs difference of each batch's outputs.</summary>
    public static IEnumerable<VerifyCase> Compare(nn.Module<Tensor, Tensor> expected, nn.Module<Tensor, Tensor> actual, int channels,
        IEnumerable<(int H, int W)> sizes, string name, double tolerance, long seed)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        expected.eval();
        actual.eval();
        using var generator = new torch.Generator((ulong)seed);
        foreach (var (h, w) in sizes)
        {
            foreach (int batch in Batches)
            {
                using var scope = torch.NewDisposeScope();
                using var noGrad = torch.no_grad();
                Tensor x = torch.empty([batch, channels, h, w]).uniform_(-1, 1, generator);
                // in-place activations may write into their input: each side gets its own copy
                Tensor want = expected.call(x.clone());
                Tensor got = actual.call(x.clone());
                double maxAbs = (want - got).abs().max().item<float>();
                yield return new VerifyCase(name, batch, h, w, maxAbs, tolerance);
            }
        }
    }

    private static nn.Module<Tensor, Tensor> Reload(ExportSource source, ExportedFile file, string format)
    {
        var built = Models.NetworkFactory.CycleGan(source.Config);
        nn.Module<Tensor, Tensor> net = built.Single(n => n.Name == file.Network).Net;
        foreach (var other in built.Where(n => n.Name != file.Network))
        {
            other.Net.Dispose();
        }

        try
        {
            GeneratorSource.LoadWeightsFile(file.Path, net, $"network {file.Network}");
        }
        catch
        {
            net.Dispose();
            throw;
        }

        net.eval();
        return net;
    }
}
