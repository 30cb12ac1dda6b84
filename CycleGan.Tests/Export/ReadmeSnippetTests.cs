using CycleGan.App.Export;
using CycleGan.App.Models;
using Microsoft.ML.OnnxRuntime;

namespace CycleGan.Tests.Export;

/// <summary>README's "ONNX Runtime alone" snippet, verbatim between the markers but for the model's path, against TorchSharp on the same image.</summary>
public sealed class ReadmeSnippetTests
{
    [Fact]
    public void Snippet_runs_an_exported_generator_like_torchsharp()
    {
        using var dir = new CycleGan.Tests.Data.TempDirectory();
        using var net = new ResnetGenerator(3, 3, 4, NormKind.Instance, false, 2);
        RandomWeights.Fill(net, 2);
        net.eval();
        File.WriteAllBytes(dir.Combine("G_A.onnx"), OnnxExporter.ExportBytes(net, new OnnxExportInfo { InputChannels = 3, OutputChannels = 3, SideMultiple = 4 }));
        var pixels = new byte[256 * 256 * 3];
        new Random(4).NextBytes(pixels);
        string modelPath = dir.Combine("G_A.onnx");

        // --- README snippet ---
        using var session = new InferenceSession(modelPath);              // README: "G_A.onnx"
        int h = 256, w = 256;                                 // multiples of 4 (ResNet) or of 128/256 (U-Net)
        var input = new float[3 * h * w];                     // planar RGB: input[c * h * w + y * w + x]
        for (int i = 0; i < h * w; i++)
            for (int c = 0; c < 3; c++) input[c * h * w + i] = pixels[i * 3 + c] / 127.5f - 1f;
        using var x = OrtValue.CreateTensorValueFromMemory(input, new long[] { 1, 3, h, w });
        using var results = session.Run(new RunOptions(), new[] { "image" }, new[] { x }, new[] { "translated" });
        float[] output = results[0].GetTensorDataAsSpan<float>().ToArray();   // same layout, in [-1, 1]
        byte ToByte(float v) => (byte)Math.Clamp(MathF.Round((v + 1f) * 127.5f), 0, 255);
        // --- end ---

        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var expected = net.call(torch.tensor(input, [1, 3, h, w])).data<float>().ToArray();
        Assert.True(expected.Zip(output).Max(p => Math.Abs(p.First - p.Second)) <= 1e-4);
        Assert.Equal(255, ToByte(1f));
    }
}
