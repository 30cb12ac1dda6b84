using System.CommandLine;
using System.Diagnostics;
using CycleGan.App.Devices;
using CycleGan.App.Export;
using CycleGan.App.Models;
using CycleGan.App.Generators;

namespace CycleGan.Bench;

/// <summary>
/// `cyclegan bench-onnx` (hidden): ONNX Runtime on the CPU against TorchSharp's forward pass for the same generator
/// (by default the reference's ResNet-9, ngf 64, at 256x256), in one process, rounds alternating so that both see
/// the same machine; and the exported file's size. Both engines use their default thread counts.
/// </summary>
public static class BenchOnnxCommand
{
    public static Command Create()
    {
        var size = new Option<int>("--size") { Description = "Image side", DefaultValueFactory = _ => 256 };
        var ngf = new Option<int>("--ngf") { Description = "Generator width", DefaultValueFactory = _ => 64 };
        var batch = new Option<int>("--batch") { Description = "Images per forward pass", DefaultValueFactory = _ => 1 };
        var rounds = new Option<int>("--rounds") { Description = "Timed rounds of each engine (after one warm-up round)", DefaultValueFactory = _ => 3 };
        var command = new Command("bench-onnx", "Time ONNX Runtime against TorchSharp on the generator's forward pass") { size, ngf, batch, rounds };
        command.SetAction(parse => Run(parse.GetValue(size), parse.GetValue(ngf), parse.GetValue(batch), parse.GetValue(rounds)));
        return command;
    }

    private static int Run(int side, int ngf, int batch, int rounds)
    {
        TorchRuntime.Start("cpu");
        torch.manual_seed(1);
        using var g = new ResnetGenerator(3, 3, ngf, NormKind.Instance, useDropout: false, nBlocks: 9);
        g.eval();
        string path = Path.Combine(Path.GetTempPath(), $"cyclegan-bench-{Environment.ProcessId}.onnx");
        try
        {
            File.WriteAllBytes(path, OnnxExporter.ExportBytes(g, new OnnxExportInfo { InputChannels = 3, OutputChannels = 3, SideMultiple = 4 }));
            long bytes = new FileInfo(path).Length;
            using var onnx = OnnxGenerator.Open(path);
            using var x = torch.empty(batch, 3, side, side).uniform_(-1, 1);
            nn.Module<Tensor, Tensor>[] engines = [g, onnx];
            string[] names = ["TorchSharp (libtorch)", "ONNX Runtime (CPU)"];
            var totals = new double[engines.Length];
            double maxAbs = 0;
            for (int round = 0; round <= rounds; round++)
            {
                var outputs = new Tensor[engines.Length];
                for (int e = 0; e < engines.Length; e++)
                {
                    using var noGrad = torch.no_grad();
                    var clock = Stopwatch.StartNew();
                    outputs[e] = engines[e].call(x);
                    if (round > 0)
                    {
                        totals[e] += clock.Elapsed.TotalSeconds; // round 0 warms up
                    }
                }

                maxAbs = Math.Max(maxAbs, (outputs[0] - outputs[1]).abs().max().item<float>());
                foreach (var o in outputs)
                {
                    o.Dispose();
                }
            }

            Console.WriteLine($"ResNet-9 generator, ngf {ngf}, {side}x{side}, batch {batch}, forward, {rounds} rounds after a warm-up, threads: libtorch {torch.get_num_threads()}, ONNX Runtime default");
            for (int e = 0; e < engines.Length; e++)
            {
                double s = totals[e] / rounds;
                Console.WriteLine($"  {names[e],-22} {s,8:F3} s per pass   {batch / s,8:F2} images/s");
            }

            Console.WriteLine($"  ONNX file: {bytes:N0} bytes ({bytes / 1024.0 / 1024.0:F1} MiB); max abs difference of the outputs: {maxAbs:0.0e0}");
            return 0;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
