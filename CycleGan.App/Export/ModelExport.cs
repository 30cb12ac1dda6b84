using System.Globalization;
using CycleGan.App.Config;
using TorchSharp.PyBridge;
using CycleGan.App.Runs;
using CycleGan.App.Generators;

namespace CycleGan.App.Export;

/// <summary>What to export and where.</summary>
public sealed record ExportRequest
{
    public static readonly string[] Formats = ["pth", "safetensors", "onnx"];

    public static readonly string[] Directions = [.. Config.Directions.Names, "both"];

    public required string Format { get; init; }

    public required string OutputFolder { get; init; }

    public string Direction { get; init; } = "both";

    public int Opset { get; init; } = OnnxExporter.DefaultOpset;

    public bool Overwrite { get; init; }
}

/// <summary>One file written.</summary>
public sealed record ExportedFile(string Network, string Path, long Bytes);

/// <summary>
/// Writes a checkpoint's networks as the PyTorch reference's state-dict files (latest_net_G_A.pth, ...), as
/// safetensors, or its generators as ONNX models. Everything is checked and serialised in memory before the first
/// file is written; each file is written atomically, and a failure removes the files this export had created.
/// </summary>
public static class ModelExport
{
    /// <summary>The networks <paramref name="request"/> exports: both generators (and, for weights, both discriminators),
    /// or one direction's generator.</summary>
    public static IReadOnlyList<string> Networks(ExportRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Direction switch
        {
            _ when Directions.TryParse(request.Direction) is { } one => [one.Generator()],
            "both" when request.Format == "onnx" => ["G_A", "G_B"],
            "both" => ["G_A", "G_B", "D_A", "D_B"],
            _ => throw new ArgumentException($"--direction {request.Direction} is not one of {string.Join(", ", ExportRequest.Directions)}", nameof(request)),
        };
    }

    /// <summary>The file name of <paramref name="network"/> in <paramref name="format"/>: the reference's latest_net_G_A.pth
    /// (its test.py reads these), or G_A.onnx.</summary>
    public static string FileName(string network, string format) => format switch
    {
        "pth" => $"latest_net_{network}.pth",
        "safetensors" => $"latest_net_{network}.safetensors",
        "onnx" => $"{network}.onnx",
        _ => throw new ArgumentException($"--format {format} is not one of {string.Join(", ", ExportRequest.Formats)}", nameof(format)),
    };

    public static IReadOnlyList<ExportedFile> Run(ExportSource source, ExportRequest request)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(request);
        if (!ExportRequest.Formats.Contains(request.Format))
        {
            throw new ArgumentException($"--format {request.Format} is not one of {string.Join(", ", ExportRequest.Formats)}", nameof(request));
        }

        var networks = Networks(request);
        string folder = Path.GetFullPath(request.OutputFolder);
        var targets = networks.Select(n => (Network: n, Path: Path.Combine(folder, FileName(n, request.Format)))).ToList();
        var existing = targets.Where(t => File.Exists(t.Path) || Directory.Exists(t.Path)).Select(t => t.Path).ToList();
        if (existing.Count > 0 && !request.Overwrite)
        {
            throw new IOException($"{string.Join(", ", existing)} already exist(s); pass --overwrite to replace (nothing was written)");
        }

        PrepareFolder(folder);
        var payloads = targets.Select(t => (t.Network, t.Path, Bytes: Serialise(source, t.Network, request))).ToList();
        var written = new List<ExportedFile>();
        var created = new List<string>();
        try
        {
            foreach (var (network, path, bytes) in payloads)
            {
                bool fresh = !File.Exists(path);
                AtomicFile.WriteAllBytes(path, bytes);
                if (fresh)
                {
                    created.Add(path);
                }

                written.Add(new ExportedFile(network, path, bytes.LongLength));
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            foreach (string path in created)
            {
                File.Delete(path);
            }

            throw new IOException($"writing {request.Format} files to {folder} failed: {ex.Message} (files this export created were removed)", ex);
        }

        return written;
    }

    /// <summary>The metadata_props of <paramref name="network"/>'s ONNX model.</summary>
    public static Dictionary<string, string> OnnxMetadataFor(ExportSource source, string network)
    {
        ArgumentNullException.ThrowIfNull(source);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [OnnxMetadata.Direction] = Directions.OfGenerator(network).ToString(),
            [OnnxMetadata.Epoch] = source.Epoch.ToString(CultureInfo.InvariantCulture),
            [OnnxMetadata.Generator] = source.Config.Model.NetG,
            [OnnxMetadata.Config] = ConfigLoader.Serialize(source.Config),
            [OnnxMetadata.Source] = source.Path,
        };
    }

    private static byte[] Serialise(ExportSource source, string network, ExportRequest request)
    {
        nn.Module<Tensor, Tensor> net = source.Networks[network];
        using var stream = new MemoryStream();
        switch (request.Format)
        {
            case "pth":
                net.save_py(stream, leaveOpen: true);
                break;
            case "safetensors":
                net.save_safetensors(stream, leaveOpen: true);
                break;
            default:
                GeneratorIdentity identity = source.Identity(network);
                return OnnxExporter.ExportBytes(net, new OnnxExportInfo
                {
                    InputChannels = identity.InputChannels,
                    OutputChannels = identity.OutputChannels,
                    SideMultiple = identity.SideMultiple,
                    Opset = request.Opset,
                    Metadata = OnnxMetadataFor(source, network),
                });
        }

        return stream.ToArray();
    }

    private static void PrepareFolder(string folder)
    {
        if (File.Exists(folder))
        {
            throw new IOException($"output folder {folder} is a file");
        }

        string probe = Path.Combine(folder, $".export-probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(folder);
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"output folder {folder} is not writable: {ex.Message}", ex);
        }
    }
}
