using CycleGan.App.Config;
using CycleGan.App.Generators;
using CycleGan.App.Cli;
using Google.Protobuf;
using CycleGan.App.Export;
using CycleGan.App.Layers;
using CycleGan.App.Models;
using CycleGan.Tests.Cli;
using CycleGan.Tests.Data;
using CycleGan.Tests.Inference;
using CycleGan.Tests.Training;
using TorchSharp.PyBridge;

namespace CycleGan.Tests.Export;

/// <summary>`cyclegan export` on a tiny trained run: the files, --verify, and the refusals.</summary>
[Collection(GlobalRandomCollection.Name)]
public sealed class ExportCommandTests(TrainedRunFixture fixture)
{
    [Theory]
    [InlineData("pth")]
    [InlineData("safetensors")]
    public void Weights_files_hold_the_checkpoints_networks(string format)
    {
        using var dir = new TempDirectory();
        Assert.Equal(0, CliApp.Run(["export", "--run", fixture.Run, "--format", format, "--output", dir.Path]));
        string[] names = ["G_A", "G_B", "D_A", "D_B"];
        Assert.Equal(names.Select(n => $"latest_net_{n}.{format}").Order(), Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order());

        // G_B loaded from the file into a fresh network computes exactly what the checkpoint's G_B computes
        using var scope = torch.NewDisposeScope();
        using TrainedGenerators trained = GeneratorSource.FromRun(fixture.Run, null, torch.CPU);
        var fresh = NetworkFactory.Generator(trained.Config.Model, trained.Config.Data.OutputNc, trained.Config.Data.InputNc, initialise: false);
        string file = Path.Combine(dir.Path, $"latest_net_G_B.{format}");
        if (format == "pth")
        {
            fresh.load_py(file, strict: true);
        }
        else
        {
            fresh.load_safetensors(file, strict: true);
        }

        fresh.eval();
        using var g = new torch.Generator(3);
        Tensor x = (torch.rand([2, 3, 16, 16], generator: g) * Scalars.Of(2.0)) - Scalars.Of(1.0);
        using var noGrad = torch.no_grad();
        Assert.True(torch.equal(trained[Direction.BtoA].Network.call(x.clone()), fresh.call(x.clone())).all().item<bool>());
    }

    [Fact]
    public void Onnx_export_with_verify_passes_and_the_onnx_engine_translates_like_torchsharp()
    {
        using var dir = new TempDirectory();
        var result = CliRunner.Run(dir.Path, "export", "--run", fixture.Run, "--format", "onnx", "--output", dir.Combine("onnx"), "--verify");
        Assert.True(result.ExitCode == 0, result.All);
        // 2 generators x 3 sizes x batch 1 and 3
        Assert.Equal(12, result.Stdout.Split('\n').Count(l => l.TrimEnd().EndsWith("  pass", StringComparison.Ordinal)));
        Assert.DoesNotContain("FAIL", result.Stdout, StringComparison.Ordinal);

        string input = TestImages.WritePng(dir.Combine("in", "odd.png"), TestImages.Coordinates(21, 13));
        Assert.Equal(0, CliApp.Run(["translate", input, "--run", fixture.Run, "--direction", "BtoA", "--output", dir.Combine("torch")]));
        Assert.Equal(0, CliApp.Run(["translate", input, "--engine", "onnx", "--model", dir.Combine("onnx", "G_B.onnx"), "--direction", "BtoA", "--output", dir.Combine("onnx-out")]));
        using var a = SixLabors.ImageSharp.Image.Load<SixLabors.ImageSharp.PixelFormats.Rgb24>(dir.Combine("torch", "odd_fake_A.png"));
        using var b = SixLabors.ImageSharp.Image.Load<SixLabors.ImageSharp.PixelFormats.Rgb24>(dir.Combine("onnx-out", "odd_fake_A.png"));
        Assert.Equal((21, 13), (b.Width, b.Height));
        int worst = 0;
        for (int y = 0; y < a.Height; y++)
        {
            for (int x = 0; x < a.Width; x++)
            {
                var (p, q) = (a[x, y], b[x, y]);
                worst = Math.Max(worst, Math.Max(Math.Abs(p.R - q.R), Math.Max(Math.Abs(p.G - q.G), Math.Abs(p.B - q.B))));
            }
        }

        Assert.True(worst <= 1, $"ONNX and TorchSharp translations differ by {worst} levels"); // 1e-4 may cross a rounding boundary
    }

    [Fact]
    public void Onnx_metadata_names_direction_epoch_and_config()
    {
        using var dir = new TempDirectory();
        Assert.Equal(0, CliApp.Run(["export", "--run", fixture.Run, "--format", "onnx", "--direction", "BtoA", "--output", dir.Path]));
        Assert.Equal(["G_B.onnx"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
        using var onnx = OnnxGenerator.Open(Path.Combine(dir.Path, "G_B.onnx"));
        Assert.Equal("BtoA", onnx.Metadata[OnnxMetadata.Direction]);
        Assert.Equal("2", onnx.Metadata[OnnxMetadata.Epoch]);
        Assert.Equal("resnet_6blocks", onnx.Metadata[OnnxMetadata.Generator]);
        Assert.Contains("\"ngf\": 4", onnx.Metadata[OnnxMetadata.Config], StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_format_is_refused_and_nothing_is_written()
    {
        using var dir = new TempDirectory();
        var result = CliRunner.Run(dir.Path, "export", "--run", fixture.Run, "--format", "tflite", "--output", dir.Combine("out"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--format tflite", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("pth, safetensors, onnx", result.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.Combine("out")));
    }

    [Fact]
    public void Run_without_checkpoints_is_refused()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.Combine("runs", "empty", "checkpoints"));
        var result = CliRunner.Run(dir.Path, "export", "--run", dir.Combine("runs", "empty"), "--format", "onnx", "--output", dir.Combine("out"));
        InProcessCli.AssertRefused(result, "latest.ckpt does not exist", dir.Combine("out"));
    }

    [Fact]
    public void Unwritable_output_folder_is_refused()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("file"), "a file where the folder should go");
        var result = CliRunner.Run(dir.Path, "export", "--run", fixture.Run, "--format", "pth", "--output", dir.Combine("file", "out"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(dir.Combine("file", "out"), result.Stderr, StringComparison.Ordinal);
        Assert.Contains("not writable", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("a file where the folder should go", File.ReadAllText(dir.Combine("file")));
    }

    [Fact]
    public void Existing_output_is_kept_unless_overwrite()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.Combine("out"));
        File.WriteAllBytes(dir.Combine("out", "G_B.onnx"), [1, 2, 3]);
        var result = CliRunner.Run(dir.Path, "export", "--run", fixture.Run, "--format", "onnx", "--output", dir.Combine("out"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("G_B.onnx", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("--overwrite", result.Stderr, StringComparison.Ordinal);
        // neither file of the export was written: G_A.onnx did not exist and is still absent
        Assert.Equal(["G_B.onnx"], Directory.GetFiles(dir.Combine("out")).Select(Path.GetFileName));
        Assert.Equal([1, 2, 3], File.ReadAllBytes(dir.Combine("out", "G_B.onnx")));

        Assert.Equal(0, CliApp.Run(["export", "--run", fixture.Run, "--format", "onnx", "--output", dir.Combine("out"), "--overwrite"]));
        using var onnx = OnnxGenerator.Open(dir.Combine("out", "G_B.onnx"));
        Assert.Equal(3, onnx.InputChannels);
        Assert.Empty(Directory.GetFiles(dir.Combine("out"), "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void Onnx_file_that_is_not_a_generator_is_refused_by_translate()
    {
        using var dir = new TempDirectory();
        string input = TestImages.WritePng(dir.Combine("a.png"), TestImages.Coordinates(16, 16));
        File.WriteAllBytes(dir.Combine("junk.onnx"), "this is not a protobuf"u8.ToArray());
        var junk = CliRunner.Run(dir.Path, "translate", input, "--engine", "onnx", "--model", dir.Combine("junk.onnx"), "--output", dir.Combine("out"));
        Assert.Equal(2, junk.ExitCode);
        Assert.Contains("junk.onnx is not an ONNX model", junk.Stderr, StringComparison.Ordinal);

        // a 4-channel "generator": the right structure, the wrong channel count for images
        using (var net = new ResnetGenerator(4, 3, 4, NormKind.Instance, false, 1))
        {
            File.WriteAllBytes(dir.Combine("rgba.onnx"), OnnxExporter.ExportBytes(net, new OnnxExportInfo { InputChannels = 4, OutputChannels = 3, SideMultiple = 4 }));
        }

        var rgba = CliRunner.Run(dir.Path, "translate", input, "--engine", "onnx", "--model", dir.Combine("rgba.onnx"), "--output", dir.Combine("out"));
        Assert.Equal(2, rgba.ExitCode);
        Assert.Contains("rgba.onnx has the wrong channel count", rgba.Stderr, StringComparison.Ordinal);
        Assert.Contains("4 channels", rgba.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.Combine("out")));
    }

    [Theory]
    [InlineData("--run")]
    [InlineData("--epoch")]
    [InlineData("--weights")]
    public void Onnx_engine_refuses_torchsharp_model_options(string option)
    {
        using var dir = new TempDirectory();
        string input = TestImages.WritePng(dir.Combine("a.png"), TestImages.Coordinates(16, 16));
        // --model is given, so the refusal comes from the rule that --engine onnx takes no TorchSharp model option
        string value = option switch { "--run" => fixture.Run, "--epoch" => "1", _ => dir.Combine("G.pth") };
        var result = InProcessCli.Run("translate", input, "--engine", "onnx", "--model", dir.Combine("G_A.onnx"), option, value, "--output", dir.Combine("out"));
        InProcessCli.AssertRefused(result, $"{option} chooses a TorchSharp model; with --engine onnx the model is --model {dir.Combine("G_A.onnx")}", dir.Combine("out"));
    }

    [Fact]
    public void Onnx_engine_needs_a_model_and_a_model_needs_the_onnx_engine()
    {
        using var dir = new TempDirectory();
        string input = TestImages.WritePng(dir.Combine("a.png"), TestImages.Coordinates(16, 16));
        var noModel = InProcessCli.Run("translate", input, "--engine", "onnx", "--output", dir.Combine("out"));
        Assert.Equal(2, noModel.ExitCode);
        Assert.Contains("--engine onnx needs --model FILE.onnx", noModel.Stderr, StringComparison.Ordinal);
        var noEngine = InProcessCli.Run("translate", input, "--model", "x.onnx", "--run", fixture.Run, "--output", dir.Combine("out"));
        InProcessCli.AssertRefused(noEngine, "--model x.onnx names an ONNX model: pass --engine onnx to run it", dir.Combine("out"));
    }

    [Fact]
    public void Verify_fails_a_file_that_no_longer_matches_its_network()
    {
        using var dir = new TempDirectory();
        string onnxA = dir.Combine("onnx", "G_A.onnx");
        // export prints each file's path once all are written and before it verifies them: the writer tampers with
        // G_A.onnx at that line (a weight tensor zeroed), so the check reads a file that no longer matches its network
        using var console = new TamperingWriter(onnxA + "  (", () => ZeroTheLargestWeight(onnxA));
        var result = InProcessCli.Run(console, "export", "--run", fixture.Run, "--format", "onnx", "--output", dir.Combine("onnx"), "--verify", "--verify-sizes", "16x16,8x12");
        Assert.True(console.Tampered, result.All);
        Assert.Equal(1, result.ExitCode);
        string[] rows = result.Stdout.Split('\n').Select(l => l.TrimEnd()).Where(l => l.EndsWith("  pass", StringComparison.Ordinal) || l.EndsWith("  FAIL", StringComparison.Ordinal)).ToArray();
        // 2 sizes x batch 1 and 3 for each file: the tampered file fails every case, the other passes every case
        Assert.Equal(8, rows.Length);
        Assert.All(rows.Where(r => r.StartsWith("G_A.onnx ", StringComparison.Ordinal)), r => Assert.EndsWith("  FAIL", r, StringComparison.Ordinal));
        Assert.All(rows.Where(r => r.StartsWith("G_B.onnx ", StringComparison.Ordinal)), r => Assert.EndsWith("  pass", r, StringComparison.Ordinal));
        Assert.Equal(4, rows.Count(r => r.StartsWith("G_A.onnx ", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("--opset", "10", "--opset 10 is out of range; allowed: 11 to 17")]
    [InlineData("--opset", "18", "--opset 18 is out of range; allowed: 11 to 17")]
    [InlineData("--verify-sizes", "16x10", "--verify-sizes 16x10: resnet_6blocks needs sides that are multiples of 4 (and at least 8); nothing was written")]
    [InlineData("--verify-sizes", "4x4", "--verify-sizes 4x4: resnet_6blocks needs sides that are multiples of 4 (and at least 8); nothing was written")]
    [InlineData("--verify-sizes", "16x16,big", "--verify-sizes: 'big' is not HxW (e.g. 64x96)")]
    [InlineData("--verify-sizes", "0x16", "--verify-sizes: '0x16' is not HxW (e.g. 64x96)")]
    public void Bad_opset_and_verify_sizes_are_refused_before_anything_is_written(string option, string value, string message)
    {
        using var dir = new TempDirectory();
        var result = InProcessCli.Run("export", "--run", fixture.Run, "--format", "onnx", "--output", dir.Combine("out"), "--verify", option, value);
        InProcessCli.AssertRefused(result, message, dir.Combine("out"));
    }

    [Fact]
    public void Verify_networks_checks_a_configs_networks_from_the_command_line()
    {
        using var dir = new TempDirectory();
        var result = CliRunner.Run(dir.Path, "verify-networks", "--config", fixture.Tiny.ConfigPath);
        Assert.True(result.ExitCode == 0, result.All);
        string[] rows = result.Stdout.Split('\n').Where(l => l.StartsWith("generator ", StringComparison.Ordinal) || l.StartsWith("discriminator ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, rows.Length);
        Assert.StartsWith("generator resnet_6blocks ngf 4 ", rows[0], StringComparison.Ordinal);
        Assert.Contains("1x3x32x32", rows[0].Replace(", ", "x", StringComparison.Ordinal).Replace("[", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.StartsWith("discriminator n_layers ndf 4 ", rows[1], StringComparison.Ordinal);
        Assert.All(rows, r => Assert.Contains("  pass", r, StringComparison.Ordinal));
        Assert.Contains("verify-networks: 2 passed, 0 failed", result.Stdout, StringComparison.Ordinal);

        var bad = CliRunner.Run(dir.Path, "verify-networks", "--sizes", "0");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--sizes 0 is out of range; allowed: 8 to 4096", bad.Stderr, StringComparison.Ordinal);
    }

    private static void ZeroTheLargestWeight(string path)
    {
        var model = Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        var weight = model.Graph.Initializer.MaxBy(t => t.RawData.Length)!;
        weight.RawData = ByteString.CopyFrom(new byte[weight.RawData.Length]);
        File.WriteAllBytes(path, model.ToByteArray());
    }

    /// <summary>Console output kept as text; runs <paramref name="action"/> once, when a line containing
    /// <paramref name="trigger"/> is written (synchronously: the writer waits for it).</summary>
    private sealed class TamperingWriter(string trigger, Action action) : StringWriter
    {
        public bool Tampered { get; private set; }

        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            if (!Tampered && value is not null && value.Contains(trigger, StringComparison.Ordinal))
            {
                Tampered = true;
                action();
            }
        }
    }
}
