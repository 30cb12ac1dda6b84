using System.Collections;
using System.Text.Json;
using System.Text.Json.Serialization;
using CycleGan.App.Config;
using CycleGan.App.Layers;
using CycleGan.App.Models;
using TorchSharp.PyBridge;

namespace CycleGan.Tests.Training.ReferenceStep;

/// <summary>
/// One case of the golden step fixtures written by scripts/interop/make_step_fixtures.py: its settings (cases.json)
/// and its tensors (CASE.pth: the reference's weights before and after K iterations, the input batches as uint8
/// pixels, the losses of every iteration and, for some cases, Adam's moments).
/// </summary>
internal sealed class StepCase
{
    public static readonly string[] NetworkNames = ["G_A", "G_B", "D_A", "D_B"];

    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Training", "StepFixtures");
    private readonly Hashtable tensors;

    private StepCase(StepCaseSettings settings, int iterations, Hashtable tensors)
    {
        Settings = settings;
        Iterations = iterations;
        this.tensors = tensors;
    }

    public StepCaseSettings Settings { get; }

    public int Iterations { get; }

    public static IEnumerable<string> Names() => ReadCases().Cases.Select(c => c.Name);

    public static StepCase Load(string name)
    {
        StepCaseFile file = ReadCases();
        StepCaseSettings settings = file.Cases.SingleOrDefault(c => c.Name == name)
                                    ?? throw new InvalidDataException($"cases.json has no case '{name}'");
        return new StepCase(settings, file.Iterations, PyTorchUnpickler.UnpickleStateDict(Path.Combine(Folder, name + ".pth")));
    }

    private static StepCaseFile ReadCases() =>
        JsonSerializer.Deserialize<StepCaseFile>(File.ReadAllText(Path.Combine(Folder, "cases.json")))
        ?? throw new InvalidDataException("cases.json is empty");

    public Tensor this[string key] => tensors[key] as Tensor ?? throw new KeyNotFoundException($"{Settings.Name}.pth has no tensor '{key}'");

    public bool Has(string key) => tensors.ContainsKey(key);

    /// <summary>The trainer's settings for this case; everything else keeps its default.</summary>
    public TrainConfig Train => new()
    {
        GanMode = Settings.GanMode,
        Lr = Settings.Lr,
        Beta1 = Settings.Beta1,
        Beta2 = Settings.Beta2,
        LambdaA = Settings.LambdaA,
        LambdaB = Settings.LambdaB,
        LambdaIdentity = Settings.LambdaIdentity,
        PoolSize = Settings.PoolSize,
    };

    /// <summary>The four networks, built as the case describes, in float64, holding the fixture's initial weights.</summary>
    public nn.Module<Tensor, Tensor>[] Networks()
    {
        var s = Settings;
        NormKind norm = Norms.Parse(s.Norm);
        nn.Module<Tensor, Tensor> Generator(int inputNc, int outputNc) => s.NetG switch
        {
            "resnet" => new ResnetGenerator(inputNc, outputNc, s.Ngf, norm, useDropout: false, s.NBlocks),
            "unet" => new UnetGenerator(inputNc, outputNc, s.NumDowns, s.Ngf, norm, useDropout: false),
            _ => throw new InvalidDataException($"unknown netG '{s.NetG}'"),
        };
        nn.Module<Tensor, Tensor> Discriminator(int inputNc) => new NLayerDiscriminator(inputNc, s.Ndf, s.NLayersD, norm);

        nn.Module<Tensor, Tensor>[] nets =
            [Generator(s.InputNc, s.OutputNc), Generator(s.OutputNc, s.InputNc), Discriminator(s.OutputNc), Discriminator(s.InputNc)];
        for (int n = 0; n < nets.Length; n++)
        {
            nets[n].to(ScalarType.Float64);
            Load(nets[n], "init." + NetworkNames[n]);
        }

        return nets;
    }

    /// <summary>Iteration <paramref name="i"/>'s batch of one domain, as the reference's pipeline maps pixels: p / 127.5 - 1.</summary>
    public Tensor Batch(int i, string domain) => (this[$"batch.{i}.{domain}"].to(ScalarType.Float64) / Scalars.Of(127.5)) - Scalars.Of(1.0);

    /// <summary>The tensors stored under <paramref name="prefix"/>.KEY for each of the network's state-dict keys.</summary>
    public IEnumerable<(string Key, Tensor Actual, Tensor Expected)> Pairs(nn.Module net, string prefix) =>
        net.state_dict().Select(kv => (kv.Key, kv.Value, this[$"{prefix}.{kv.Key}"]));

    private void Load(nn.Module net, string prefix)
    {
        var expectedKeys = tensors.Keys.Cast<string>().Where(k => k.StartsWith(prefix + ".", StringComparison.Ordinal))
            .Select(k => k[(prefix.Length + 1)..]).Order(StringComparer.Ordinal);
        Assert.Equal(expectedKeys, net.state_dict().Keys.Order(StringComparer.Ordinal));

        // Copied into the live parameters, so that they keep requires_grad (PyBridge's load_py would switch it off).
        using var noGrad = torch.no_grad();
        foreach (var (key, actual, expected) in Pairs(net, prefix))
        {
            Assert.True(actual.shape.SequenceEqual(expected.shape),
                $"{prefix}.{key}: shape [{string.Join(",", actual.shape)}] here, [{string.Join(",", expected.shape)}] in the fixture");
            actual.copy_(expected);
        }
    }
}

internal sealed record StepCaseFile(
    [property: JsonPropertyName("iterations")] int Iterations,
    [property: JsonPropertyName("cases")] StepCaseSettings[] Cases);

internal sealed record StepCaseSettings(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("netG")] string NetG,
    [property: JsonPropertyName("n_blocks")] int NBlocks,
    [property: JsonPropertyName("num_downs")] int NumDowns,
    [property: JsonPropertyName("ngf")] int Ngf,
    [property: JsonPropertyName("ndf")] int Ndf,
    [property: JsonPropertyName("n_layers_D")] int NLayersD,
    [property: JsonPropertyName("norm")] string Norm,
    [property: JsonPropertyName("gan_mode")] string GanMode,
    [property: JsonPropertyName("lambda_A")] double LambdaA,
    [property: JsonPropertyName("lambda_B")] double LambdaB,
    [property: JsonPropertyName("lambda_identity")] double LambdaIdentity,
    [property: JsonPropertyName("lr")] double Lr,
    [property: JsonPropertyName("beta1")] double Beta1,
    [property: JsonPropertyName("beta2")] double Beta2,
    [property: JsonPropertyName("pool_size")] int PoolSize,
    [property: JsonPropertyName("batch_size")] int BatchSize,
    [property: JsonPropertyName("input_nc")] int InputNc,
    [property: JsonPropertyName("output_nc")] int OutputNc,
    [property: JsonPropertyName("adam")] bool Adam);
