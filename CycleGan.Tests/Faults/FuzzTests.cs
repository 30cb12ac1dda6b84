using System.Text.Json.Nodes;
using CycleGan.App.Config;
using CycleGan.App.Training;
using CycleGan.Data.Imaging;
using CycleGan.Tests.Data;
using CycleGan.Tests.Training;
using SixLabors.ImageSharp;
using Xunit.Abstractions;
using CycleGan.App.Runs;

namespace CycleGan.Tests.Faults;

/// <summary>
/// Fuzzed corpora of bad images, configs and checkpoints, made from valid ones by seeded mutations. Each case must end
/// in a result or the documented exception with a message that names the culprit: never another exception, never a
/// hang (each case has a bound that only a hang reaches).
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    /// <summary>Only a hang reaches this: a case takes milliseconds, and seconds on a loaded machine.</summary>
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);

    [Fact]
    public void BadImages()
    {
        using var dir = new TempDirectory();
        var random = new Random(7);
        var corpus = new List<(string Kind, string Path, Expect Expect)>();
        byte[] png = Encode(TestImages.Coordinates(40, 30), png: true), jpeg = TestImages.NoisyJpeg(40, 30, 3);
        foreach (var (name, bytes) in new[] { ("png", png), ("jpg", jpeg) })
        {
            for (int i = 0; i < 15; i++)
            {
                // every cut loses at least the last byte: the end marker (JPEG) or the IEND chunk's CRC (PNG) at the least
                corpus.Add(($"truncated {name}", Write(dir, $"trunc{i}.{name}", bytes[..random.Next(0, bytes.Length)]), Expect.Refused));
                byte[] flipped = (byte[])bytes.Clone();
                bool critical = false;
                for (int f = 0; f < 1 + random.Next(8); f++)
                {
                    int at = random.Next(flipped.Length);
                    flipped[at] ^= (byte)(1 << random.Next(8));
                    critical |= name == "png" && InPngSignatureOrCriticalChunk(bytes, at);
                }

                // The PNG signature and critical chunks (IHDR, IDAT, IEND) are CRC-checked, so a flip there is refused;
                // a flip in an ancillary chunk (pHYs) or in entropy-coded JPEG data can still leave an image.
                corpus.Add(($"bit-flipped {name}", Write(dir, $"flip{i}.{name}", flipped), critical ? Expect.Refused : Expect.Either));
            }
        }

        // the content decides, not the extension
        corpus.Add(("wrong extension, an image", Write(dir, "png-named.jpg", png), Expect.Decoded));
        corpus.Add(("wrong extension, an image", Write(dir, "jpeg-named.png", jpeg), Expect.Decoded));
        corpus.Add(("wrong extension, not an image", Write(dir, "text.png", "hello"u8.ToArray()), Expect.Refused));
        corpus.Add(("zero bytes", Write(dir, "empty.png", []), Expect.Refused));
        corpus.Add(("zero bytes", Write(dir, "empty.jpg", []), Expect.Refused));
        corpus.Add(("huge header", Write(dir, "huge.png", TestImages.PngHeaderOnly(100_000, 100_000)), Expect.Refused));
        corpus.Add(("huge header", Write(dir, "wide.png", TestImages.PngHeaderOnly(int.MaxValue, 1)), Expect.Refused));

        var tally = new Tally();
        foreach (var (kind, path, expect) in corpus)
        {
            var outcome = Within(() =>
            {
                using var image = ImageDecoder.LoadRgb(path);
                return image.Width;
            }, path);
            tally.Add<BadImageException>(kind, path, expect, outcome, bad => Assert.Contains(path, bad.Message));
        }

        output.WriteLine("bad images: " + tally);
        tally.AssertAsExpected();
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

        var corpus = new List<(string Kind, string Json, Expect Expect, string? Key, string What)>();
        JsonNode?[] wrongValues = ["text", -1, -1000000, 1e300, true, null, new JsonArray(1, 2), new JsonObject(), 0, 2.5];
        foreach (var (section, key) in leaves)
        {
            var copy = baseline.DeepClone().AsObject();
            copy[section]![key] = wrongValues[random.Next(wrongValues.Length)]?.DeepClone();
            // some "wrong" values are allowed for some keys (0 for lambda_identity, null for max_dataset_size, ...)
            corpus.Add(("wrong value", copy.ToJsonString(), Expect.Either, $"{section}.{key}", $"{section}.{key} = {copy[section]![key]?.ToJsonString() ?? "null"}"));
            var missing = baseline.DeepClone().AsObject();
            missing[section]!.AsObject().Remove(key);
            corpus.Add(("missing field", missing.ToJsonString(), Expect.Decoded, null, $"{section}.{key}")); // every key has the reference's default
            var unknown = baseline.DeepClone().AsObject();
            unknown[section]![key + "_x"] = 1;
            corpus.Add(("unknown key", unknown.ToJsonString(), Expect.Refused, $"{section}.{key}_x", $"{section}.{key}_x"));
        }

        for (int i = 0; i < 40; i++)
        {
            string cut = valid[..random.Next(valid.Length)];
            // a cut that keeps the closing brace (it only drops trailing white space) leaves the whole config
            corpus.Add(("truncated text", cut, cut.TrimEnd().Length < valid.TrimEnd().Length ? Expect.Refused : Expect.Decoded, null, $"cut at {cut.Length} of {valid.Length}"));
            char[] chars = valid.ToCharArray();
            chars[random.Next(chars.Length)] = "{}[],:\"x0-"[random.Next(10)];
            corpus.Add(("garbled text", new string(chars), Expect.Either, null, "garbled")); // some garbling lands in comments or strings
        }

        var tally = new Tally();
        foreach (var (kind, json, expect, key, what) in corpus)
        {
            var outcome = Within(() => ConfigLoader.Parse(json, "fuzz.json"), kind);
            tally.Add<ConfigException>(kind, what, expect, outcome, bad =>
            {
                Assert.Contains("fuzz.json", bad.Message);
                if (key is not null)
                {
                    Assert.Contains(key, bad.Message);
                }
            });
        }

        output.WriteLine("bad configs (refusals name the file, and the key where one is at fault): " + tally);
        tally.AssertAsExpected();
    }

    [Fact]
    public void BadCheckpoints()
    {
        using var tiny = new TinyRun();
        using (var model = new CycleGanModel(ConfigLoader.Load(tiny.ConfigPath), TorchSharp.torch.CPU, new SeededRandom(1)))
        {
            TrainingCheckpoint.Save(tiny.Folder + "/good.ckpt", ConfigLoader.Load(tiny.ConfigPath), new TrainingState(), model);
        }

        var other = ConfigLoader.Load(tiny.ConfigPath, ["model.ngf=6", "model.netG=resnet_9blocks"]);
        using (var model = new CycleGanModel(other, TorchSharp.torch.CPU, new SeededRandom(1)))
        {
            TrainingCheckpoint.Save(tiny.Folder + "/other.ckpt", other, new TrainingState(), model);
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
                TrainingCheckpoint.Restore(file, model);
                return 0;
            }, path);
            Assert.True(outcome is InvalidDataException or CheckpointMismatchException, $"{kind} {path}: {outcome?.GetType().Name ?? "loaded"}");
            Assert.Contains(path, outcome!.Message);
            Assert.Equal(before, File.ReadAllBytes(path));
            refused++;
        }

        output.WriteLine($"bad checkpoints: {corpus.Count} cases (30 truncated, 30 single bit flips, empty, foreign, another architecture), {refused} refused naming the file, none changed");
    }

    /// <summary>Whether byte <paramref name="at"/> of a PNG lies in its signature or in a critical chunk (one whose type
    /// starts with a capital letter), from its length field to its CRC.</summary>
    private static bool InPngSignatureOrCriticalChunk(byte[] png, int at)
    {
        if (at < 8)
        {
            return true;
        }

        for (int start = 8; start + 12 <= png.Length;)
        {
            int length = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(start, 4));
            int end = start + 12 + length;
            if (at < end)
            {
                return char.IsUpper((char)png[start + 4]);
            }

            start = end;
        }

        return false;
    }

    private enum Expect
    {
        Refused,
        Decoded,
        Either,
    }

    /// <summary>Outcomes by mutation kind, and the cases whose outcome contradicts their kind's expectation.</summary>
    private sealed class Tally
    {
        private readonly SortedDictionary<string, (int Refused, int Accepted)> byKind = new(StringComparer.Ordinal);
        private readonly List<string> wrong = [];

        private void Add(string kind, string what, bool refused, Expect expect)
        {
            var (r, a) = byKind.GetValueOrDefault(kind);
            byKind[kind] = refused ? (r + 1, a) : (r, a + 1);
            if ((expect == Expect.Refused && !refused) || (expect == Expect.Decoded && refused))
            {
                wrong.Add($"{kind}: {what} was {(refused ? "refused" : "accepted")}");
            }
        }

        /// <summary>Counts <paramref name="outcome"/>: a refusal must be a <typeparamref name="TRefusal"/> that passes
        /// <paramref name="checkRefusal"/>; anything accepted must have thrown nothing.</summary>
        public void Add<TRefusal>(string kind, string what, Expect expect, Exception? outcome, Action<TRefusal> checkRefusal)
            where TRefusal : Exception
        {
            if (outcome is TRefusal refusal)
            {
                checkRefusal(refusal);
            }
            else
            {
                Assert.Null(outcome);
            }

            Add(kind, what, refused: outcome is not null, expect);
        }

        public void AssertAsExpected() => Assert.True(wrong.Count == 0, string.Join("\n", wrong));

        public override string ToString() => string.Join("; ", byKind.Select(k => $"{k.Key}: {k.Value.Refused} refused, {k.Value.Accepted} accepted"));
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
