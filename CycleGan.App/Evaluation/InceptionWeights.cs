using System.Collections;
using TorchSharp.PyBridge;

namespace CycleGan.App.Evaluation;

/// <summary>
/// Finds and loads the FID Inception weights (pt_inception-2015-12-05-6726825d.pth). Nothing is downloaded: the user
/// names the file with --inception-weights, the CYCLEGAN_INCEPTION_WEIGHTS environment variable, or output.inception_weights.
/// </summary>
public static class InceptionWeights
{
    public const string EnvironmentVariable = "CYCLEGAN_INCEPTION_WEIGHTS";

    public const string FileName = "pt_inception-2015-12-05-6726825d.pth";

    public const string Url = "https://github.com/mseitzer/pytorch-fid/releases/download/fid_weights/" + FileName;

    public static string WhereToGetIt =>
        $"FID and KID need the FID Inception weights {FileName} (95 MB, from pytorch-fid: {Url}). Download it once and pass " +
        $"--inception-weights FILE, or set {EnvironmentVariable}=FILE, or the config key output.inception_weights";

    /// <summary>The weights file from (in order) the option, the environment variable, the config; null if none names one.</summary>
    public static string? Resolve(string? option, string? configured = null)
    {
        foreach (string? candidate in new[] { option, Environment.GetEnvironmentVariable(EnvironmentVariable), configured })
        {
            if (!string.IsNullOrWhiteSpace(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>The network with the file's weights, in eval mode on <paramref name="device"/>.</summary>
    public static FidInception Load(string? path, Device? device = null)
    {
        if (path is null)
        {
            throw new FileNotFoundException(WhereToGetIt + ".");
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Inception weights file {path} does not exist. {WhereToGetIt}.", path);
        }

        var net = new FidInception();
        try
        {
            using var scope = torch.NewDisposeScope();
            LoadInto(net, Read(path), path);
        }
        catch
        {
            net.Dispose();
            throw;
        }

        net = device is null ? net : net.to(device);
        net.eval();
        return net;
    }

    private static Dictionary<string, Tensor> Read(string path)
    {
        var magic = new byte[4];
        using (var stream = File.OpenRead(path))
        {
            if (stream.Read(magic) < 4)
            {
                throw new InvalidDataException($"Inception weights file {path} is too short to be a PyTorch file");
            }
        }

        if (magic[0] == 0x80 && magic[1] is >= 2 and <= 5)
        {
            // a bare pickle: torch.save before PyTorch 1.6 (or with _use_new_zipfile_serialization=False)
            throw new InvalidDataException(
                $"Inception weights file {path} is in PyTorch's legacy (pre-1.6) format, which TorchSharp.PyBridge cannot read. " +
                $"Re-save it once in the zip format: python3 -c \"import torch; torch.save(torch.load('{Path.GetFileName(path)}'), 'pt_inception-zip.pth')\"");
        }

        if (magic[0] != (byte)'P' || magic[1] != (byte)'K')
        {
            throw new InvalidDataException($"Inception weights file {path} is not a PyTorch .pth file (neither a zip archive nor a pickle)");
        }

        Hashtable table;
        try
        {
            table = PyTorchUnpickler.UnpickleStateDict(path);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new InvalidDataException($"Inception weights file {path} could not be read as a PyTorch state dict: {ex.Message}", ex);
        }

        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in table)
        {
            if (entry.Key is string key && entry.Value is Tensor tensor)
            {
                tensors[key] = tensor;
            }
        }

        return tensors;
    }

    /// <summary>Copies a state dict into the network, after checking that its keys and shapes are the network's and its
    /// values finite. A
    /// missing num_batches_tracked is accepted (files saved before PyTorch 0.4.1 lack it, and eval never reads it).</summary>
    internal static void LoadInto(FidInception net, IReadOnlyDictionary<string, Tensor> source, string path)
    {
        var target = net.state_dict();
        var missing = target.Keys.Where(k => !source.ContainsKey(k) && !k.EndsWith(".num_batches_tracked", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        var unexpected = source.Keys.Where(k => !target.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        var shapes = target.Where(kv => source.TryGetValue(kv.Key, out var s) && !s.shape.SequenceEqual(kv.Value.shape))
            .Select(kv => $"{kv.Key} is [{string.Join(", ", source[kv.Key].shape)}] in the file, [{string.Join(", ", kv.Value.shape)}] in the network")
            .ToList();
        if (missing.Count + unexpected.Count + shapes.Count > 0)
        {
            var parts = new List<string>();
            if (missing.Count > 0)
            {
                parts.Add($"{missing.Count} key(s) missing: {List(missing)}");
            }

            if (unexpected.Count > 0)
            {
                parts.Add($"{unexpected.Count} unexpected key(s): {List(unexpected)}");
            }

            if (shapes.Count > 0)
            {
                parts.Add($"{shapes.Count} shape mismatch(es): {List(shapes)}");
            }

            throw new InvalidDataException(
                $"Inception weights file {path} does not fit the FID Inception ({FileName}'s layout): {string.Join("; ", parts)}");
        }

        // a NaN weight makes every feature NaN, and FID/KID NaN would then pass silently into scores and best.ckpt
        var notFinite = target.Keys.Where(k => source.TryGetValue(k, out var v) && v.is_floating_point() && !v.isfinite().all().item<bool>())
            .Order(StringComparer.Ordinal).ToList();
        if (notFinite.Count > 0)
        {
            throw new InvalidDataException(
                $"Inception weights file {path} holds values that are not finite (NaN or infinity) in {notFinite.Count} tensor(s): {List(notFinite)}");
        }

        using var noGrad = torch.no_grad();
        foreach (var (key, tensor) in target)
        {
            if (source.TryGetValue(key, out var value))
            {
                tensor.copy_(value.to(tensor.dtype));
            }
        }
    }

    private static string List(IReadOnlyList<string> items) =>
        string.Join(", ", items.Take(8)) + (items.Count > 8 ? $", ... ({items.Count - 8} more)" : string.Empty);
}
