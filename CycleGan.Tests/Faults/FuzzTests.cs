using System.Text.Json.Nodes;
using CycleGan.App.Cli;
using CycleGan.App.Config;
using CycleGan.App.Training;
using CycleGan.App.Training.Checkpoints;
using CycleGan.Data.Imaging;
using CycleGan.Tests.Data;
using CycleGan.Tests.Training;
using SixLabors.ImageSharp;
using Xunit;
using Xunit.Abstractions;

namespace CycleGan.Tests.Faults;

/// <summary>
/// Fuzzed corpora of bad images, configs and checkpoints, made from valid ones by seeded mutations. Each case must end
/// in a result or the documented exception with a message that names the culprit: never another exception, never a
/// hang (each case has a time limit).
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    [Fact]
    public void BadImages()
    {
        using var dir = new TempDirectory();
        var random = new Random(7);
        var corpus = new List<(string Kind, string Path)>();
        byte[] png = Encode(TestImages.Coordinates(40, 30), png: true), jpeg = TestImages.NoisyJpeg(40, 30, 3);
        foreach (var (name, bytes) in new[] { ("png", png), ("jpg", jpeg) })
        {
            for (int i = 0; i < 15; i++)
            {
                corpus.Add(("truncated", Write(dir, $"trunc{i}.{name}", bytes[..random.Next(0, bytes.Length)])));
                byte[] flipped = (byte[])bytes.Clone();
                for (int f = 0; f < 1 + random.Next(8); f++)
                {
                    int at = random.Next(flipped.Length);
                    flipped[at] ^= (byte)(1 << random.Next(8));
                }

                corpus.Add(("bit-flipped", Write(dir, $"flip{i}.{name}", flipped)));
            }
        }

        corpus.Add(("wrong extension", Write(dir, "png-named.jpg", png)));
        corpus.Add(("wrong extension", Write(dir, "jpeg-named.png", jpeg)));
        corpus.Add(("wrong extension", Write(dir, "text.png", "hello"u8.ToArray())));
        corpus.Add(("zero bytes", Write(dir, "empty.png", [])));
        corpus.Add(("zero bytes", Write(dir, "empty.jpg", [])));
        corpus.Add(("huge header", Write(dir, "huge.png", TestImages.PngHeaderOnly(100_000, 100_000))));
        corpus.Add(("huge header", Write(dir, "wide.png", TestImages.PngHeaderOnly(int.MaxValue, 1))));

        int decoded = 0, refused = 0;
        foreach (var (kind, path) in corpus)
        {
            var outcome = Within(() =>
            {
                using var image = ImageDecoder.LoadRgb(path);
                return image.Width;
            }, path);
            if (outcome is BadImageException bad)
            {
                Assert.Contains(path, bad.Message);
                refused++;
            }
            else
            {
                Assert.Null(outcome); // decoded (a flip in pixel data or a misleading extension can still be an image)
                decoded++;
            }
        }

        output.WriteLine($"bad images: {corpus.Count} cases, {refused} refused naming the file, {decoded} still decodable; no other outcome");
        Assert.True(refused >= corpus.Count / 2, $"only {refused} of {corpus.Count} refused");
    }

    [Fact]
    public void BadConfigs()
    {
        var random = new Random(11);
        string valid = File.ReadAllText(ConfigLoader.ResolvePath("horse2zebra"));
        JsonObject baseline = JsonNode.Parse(valid, documentOptions: new() { CommentHandling = System.Text.Json.JsonCommentHandling.Skip })!.AsObject();
        var leaves = new List<(string Section, string Key)>();
        foreach (var (section, node) in baseline)
        {
            if (node is JsonObject o)
            {
                leaves.AddRange(o.Select(kv => (section, kv.Key)));
            }
        }

        var corpus = new List<(string Kind, string Json)>();
        JsonNode?[] wrongValues = ["text", -1, -1000000, 1e300, true, null, new JsonArray(1, 2), new JsonObject(), 0, 2.5];
        foreach (var (section, key) in leaves)
        {
            var copy = baseline.DeepClone().AsObject();
            copy[section]![key] = wrongValues[random.Next(wrongValues.Length)]?.DeepClone();
            corpus.Add(("wrong value", copy.ToJsonString()));
            var missing = baseline.DeepClone().AsObject();
            missing[section]!.AsObject().Remove(key);
            corpus.Add(("missing field", missing.ToJsonString()));
            var unknown = baseline.DeepClone().AsObject();
            unknown[section]![key + "_x"] = 1;
            corpus.Add(("unknown key", unknown.ToJsonString()));
        }

        for (int i = 0; i < 40; i++)
        {
            corpus.Add(("truncated text", valid[..random.Next(valid.Length)]));
            char[] chars = valid.ToCharArray();
            chars[random.Next(chars.Length)] = "{}[],:\"x0-"[random.Next(10)];
            corpus.Add(("garbled text", new string(chars)));
        }

        int loaded = 0, refused = 0;
        foreach (var (kind, json) in corpus)
        {
            var outcome = Within(() => ConfigLoader.Parse(json, "fuzz.json"), kind);
            if (outcome is ConfigException bad)
            {
                Assert.Contains("fuzz.json", bad.Message);
                refused++;
            }
            else
            {
                Assert.Null(outcome); // missing fields take the reference's defaults; some garbling lands in comments or strings
                loaded++;
            }
        }

        output.WriteLine($"bad configs: {corpus.Count} cases, {refused} refused naming the file and key, {loaded} loaded (defaults or harmless edits); no other outcome");
        Assert.True(refused > corpus.Count / 2, $"only {refused} of {corpus.Count} refused");
    }

    [Fact]
    public void BadCheckpoints()
    {
        using var tiny = new TinyRun();
        using (var model = new CycleGanModel(ConfigLoader.Load(tiny.ConfigPath), TorchSharp.torch.CPU, new SeededRandom(1)))
        {
            Checkpoint.Save(tiny.Folder + "/good.ckpt", ConfigLoader.Load(tiny.ConfigPath), new TrainingState(), model);
        }

        var other = ConfigLoader.Load(tiny.ConfigPath, ["model.ngf=6", "model.netG=resnet_9blocks"]);
        using (var model = new CycleGanModel(other, TorchSharp.torch.CPU, new SeededRandom(1)))
        {
            Checkpoint.Save(tiny.Folder + "/other.ckpt", other, new TrainingState(), model);
        }

        byte[] good = File.ReadAllBytes(tiny.Folder + "/good.ckpt");
        var random = new Random(13);
        var corpus = new List<(string Kind, string Path)>();
        for (int i = 0; i < 30; i++)
        {
            corpus.Add(("truncated", Write(tiny.Folder, $"t{i}.ckpt", good[..random.Next(good.Length)])));
            byte[] flipped = (byte[])good.Clone();
            flipped[random.Next(flipped.Length)] ^= (byte)(1 << random.Next(8));
            corpus.Add(("bit-flipped", Write(tiny.Folder, $"f{i}.ckpt", flipped)));
        }

        corpus.Add(("empty", Write(tiny.Folder, "empty.ckpt", [])));
        corpus.Add(("not a checkpoint", Write(tiny.Folder, "config.ckpt", File.ReadAllBytes(tiny.ConfigPath))));
        corpus.Add(("another model's", tiny.Folder + "/other.ckpt"));

        var config = ConfigLoader.Load(tiny.ConfigPath);
        int refused = 0;
        foreach (var (kind, path) in corpus)
        {
            byte[] before = File.ReadAllBytes(path);
            var outcome = Within(() =>
            {
                var file = Checkpoint.Read(path);
                using var model = new CycleGanModel(config, TorchSharp.torch.CPU, new SeededRandom(1));
                Checkpoint.Restore(file, model);
                return 0;
            }, path);
            Assert.True(outcome is InvalidDataException or CheckpointMismatchException, $"{kind} {path}: {outcome?.GetType().Name ?? "loaded"}");
            Assert.Contains(path, outcome!.Message);
            Assert.Equal(before, File.ReadAllBytes(path));
            refused++;
        }

        output.WriteLine($"bad checkpoints: {corpus.Count} cases (30 truncated, 30 single bit flips, empty, foreign, another architecture), {refused} refused naming the file, none changed");
    }

    private static Exception? Within<T>(Func<T> action, string what)
    {
        var task = Task.Run(() =>
        {
            try
            {
                action();
                return null;
            }
            catch (Exception ex)
            {
                return ex;
            }
        });
        Assert.True(task.Wait(Limit), $"{what}: no answer within {Limit.TotalSeconds} s");
        Exception? ex = task.Result;
        Assert.True(ex is null or BadImageException or ConfigException or InvalidDataException or CheckpointMismatchException,
            $"{what}: unexpected {ex?.GetType().Name}: {ex?.Message}");
        return ex;
    }

    private static string Write(TempDirectory dir, string name, byte[] bytes) => Write(dir.Path, name, bytes);

    private static string Write(string dir, string name, byte[] bytes)
    {
        string path = Path.Combine(dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static byte[] Encode(Image image, bool png)
    {
        using var stream = new MemoryStream();
        if (png)
        {
            image.SaveAsPng(stream);
        }
        else
        {
            image.SaveAsJpeg(stream);
        }

        image.Dispose();
        return stream.ToArray();
    }
}
