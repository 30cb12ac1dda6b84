using System.IO.Compression;
using CycleGan.App.Evaluation;
using CycleGan.App.Layers;
using CycleGan.App.Models;
using CycleGan.Tests.Data;
using TorchSharp.PyBridge;
using Xunit.Abstractions;

namespace CycleGan.Tests.Evaluation;

/// <summary>The FID Inception against torchvision's Inception3 with pytorch-fid's block changes
/// (scripts/interop/make_fid_fixtures.py), and the weights loader on PyTorch's own file and on bad ones.</summary>
public sealed class FidInceptionTests(ITestOutputHelper output)
{
    [Fact]
    public void State_dict_keys_and_shapes_are_those_of_the_pt_inception_layout()
    {
        using var scope = torch.NewDisposeScope();
        using var net = new FidInception();
        var ours = net.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.shape);
        var theirs = SplitMixWeights.Keys();
        Assert.Equal(566, theirs.Count);
        Assert.Equal(theirs.Select(k => k.Key).Order(StringComparer.Ordinal), ours.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, shape) in theirs)
        {
            Assert.True(shape.SequenceEqual(ours[key]), $"{key}: [{string.Join(",", ours[key])}] vs PyTorch [{string.Join(",", shape)}]");
        }
    }

    /// <summary>
    /// The same random weights and inputs through both implementations: float32 through ~95 convolutions, with libtorch
    /// 2.10 here and 1.13 there, agree to 1e-5 of the largest feature (measured here: 2.0e-7 through oneDNN, 2.5e-7 through im2col).
    /// </summary>
    [Fact]
    public void Features_match_pytorch_fid_inception_built_from_torchvision()
    {
        using var scope = torch.NewDisposeScope();
        using var net = new FidInception();
        InceptionWeights.LoadInto(net, SplitMixWeights.StateDict(), "generated weights");
        Tensor features;
        using (torch.no_grad())
        {
            features = net.Features(SplitMixWeights.Inputs());
        }

        byte[] bytes = File.ReadAllBytes(SplitMixWeights.Fixture("fid_features.bin"));
        var expectedValues = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, expectedValues, 0, bytes.Length);
        Tensor expected = torch.tensor(expectedValues, [3, FidInception.Dimensions]);
        Assert.Equal(expected.shape, features.shape);

        double scale = expected.abs().max().item<float>();
        double error = (features - expected).abs().max().item<float>() / scale;
        output.WriteLine($"FID Inception vs PyTorch: relative error {error:E3}");
        Assert.True(error < 1e-5, $"max |ours - PyTorch| / max |PyTorch| = {error:E3}");

        // the images differ, so must their features (a network that ignores its input would fail here)
        Assert.True((expected[0] - expected[1]).abs().max().item<float>() > 1e-2 * scale);
    }

    [Fact]
    public void A_file_saved_by_pytorch_loads_each_tensor_under_its_key()
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("keyed.pth");
        using (var gz = new GZipStream(File.OpenRead(SplitMixWeights.Fixture("fid_keyed.pth.gz")), CompressionMode.Decompress))
        using (var file = File.Create(path))
        {
            gz.CopyTo(file);
        }

        using var scope = torch.NewDisposeScope();
        using var net = InceptionWeights.Load(path);
        var state = net.state_dict();
        var keys = SplitMixWeights.Keys();
        for (int i = 0; i < keys.Count; i++)
        {
            Tensor t = state[keys[i].Key];
            if (!t.is_floating_point())
            {
                continue;
            }

            float want = (float)((i + 1) / 1000.0);
            Assert.True(t.eq(Scalars.Of(want)).all().item<bool>(), $"{keys[i].Key} should hold {want} everywhere");
        }
    }

    [Fact]
    public void Missing_file_says_where_to_get_the_weights()
    {
        var ex = Assert.Throws<FileNotFoundException>(() => InceptionWeights.Load("/nonexistent/pt_inception.pth"));
        Assert.Contains("/nonexistent/pt_inception.pth", ex.Message);
        Assert.Contains(InceptionWeights.Url, ex.Message);
        var none = Assert.Throws<FileNotFoundException>(() => InceptionWeights.Load(null));
        Assert.Contains("--inception-weights", none.Message);
    }

    [Fact]
    public void Another_networks_weights_are_refused_naming_the_mismatching_keys()
    {
        using var dir = new TempDirectory();
        using var scope = torch.NewDisposeScope();
        string path = dir.Combine("G.pth");
        new ResnetGenerator(3, 3, 4, NormKind.Instance, false, 2).save_py(path);
        var ex = Assert.Throws<InvalidDataException>(() => InceptionWeights.Load(path));
        Assert.Contains(path, ex.Message);
        Assert.Contains("key(s) missing: Conv2d_1a_3x3.bn.bias", ex.Message);
        Assert.Contains("Conv2d_1a_3x3.conv.weight", ex.Message);
        Assert.Matches(@"unexpected key\(s\): model\.\d+\.", ex.Message);
    }

    [Fact]
    public void Wrong_shapes_are_refused_with_both_shapes()
    {
        using var scope = torch.NewDisposeScope();
        using var net = new FidInception();
        var dict = SplitMixWeights.Keys().ToDictionary(k => k.Key, k => zeros(k.Shape));
        dict["fc.weight"] = zeros(1000, 2048);
        var ex = Assert.Throws<InvalidDataException>(() => InceptionWeights.LoadInto(net, dict, "test.pth"));
        Assert.Contains("fc.weight is [1000, 2048] in the file, [1008, 2048] in the network", ex.Message);
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc }, "legacy")]
    [InlineData(new byte[] { 0x3c, 0x68, 0x74, 0x6d, 0x6c, 0x3e }, "not a PyTorch")]
    [InlineData(new byte[] { 0x50, 0x4b, 0x03, 0x04, 0x00, 0x00 }, "could not be read")]
    public void Files_that_are_not_state_dicts_are_refused_by_name(byte[] content, string reason)
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("weights.pth");
        File.WriteAllBytes(path, content);
        var ex = Assert.Throws<InvalidDataException>(() => InceptionWeights.Load(path));
        Assert.Contains(path, ex.Message);
        Assert.Contains(reason, ex.Message);
    }
}
