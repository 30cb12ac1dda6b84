using System.Globalization;

namespace CycleGan.Tests.Evaluation;

/// <summary>
/// The random weights of scripts/interop/make_fid_fixtures.py, generated here as there: value number c of a seed is
/// splitmix64(seed + (c + 1) * golden), its top 53 bits a double in [0, 1), scaled to the key's range and rounded to
/// float32; the values run through the keys in fid_keys.txt's order. Committing the 95 MB of weights is avoided so.
/// </summary>
internal static class SplitMixWeights
{
    public const ulong WeightSeed = 20151205;
    public const ulong InputSeed = 7;
    public static readonly long[] InputShape = [3, 3, 37, 53];

    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Evaluation", "Fixtures", name);

    /// <summary>fid_keys.txt: every key of the FID Inception's state dict with its shape, in torchvision's order.</summary>
    public static IReadOnlyList<(string Key, long[] Shape)> Keys() =>
        File.ReadAllLines(Fixture("fid_keys.txt"))
            .Where(l => l.Length > 0)
            .Select(l => l.Split(' '))
            .Select(p => (p[0], p.Length > 1 && p[1].Length > 0 ? p[1].Split(',').Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToArray() : Array.Empty<long>()))
            .ToList();

    public static double Uniform(ulong seed, long index)
    {
        unchecked
        {
            ulong z = seed + ((ulong)(index + 1) * 0x9E3779B97F4A7C15UL);
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            return (z >> 11) * (1.0 / (1UL << 53));
        }
    }

    public static float[] Values(ulong seed, long start, long count, double low, double high)
    {
        var values = new float[count];
        for (long i = 0; i < count; i++)
        {
            values[i] = (float)(low + ((high - low) * Uniform(seed, start + i)));
        }

        return values;
    }

    /// <summary>The script's value_rule: He-scaled convolutions, batch-norm scales and variances in [0.5, 1.5), shifts and
    /// means in [-0.1, 0.1).</summary>
    public static (double Low, double High) Rule(string key, long[] shape)
    {
        if (key.EndsWith("conv.weight", StringComparison.Ordinal) || key == "fc.weight")
        {
            double fanIn = shape.Skip(1).Aggregate(1L, (a, b) => a * b);
            double bound = Math.Sqrt(3.0) * Math.Sqrt(2.0 / fanIn);
            return (-bound, bound);
        }

        if (key.EndsWith("bn.weight", StringComparison.Ordinal) || key.EndsWith("running_var", StringComparison.Ordinal))
        {
            return (0.5, 1.5);
        }

        if (key.EndsWith("bn.bias", StringComparison.Ordinal) || key.EndsWith("running_mean", StringComparison.Ordinal) || key == "fc.bias")
        {
            return (-0.1, 0.1);
        }

        throw new ArgumentException($"no rule for {key}", nameof(key));
    }

    /// <summary>The whole state dict (tensors in the caller's dispose scope).</summary>
    public static Dictionary<string, Tensor> StateDict()
    {
        var dict = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        long offset = 0;
        foreach (var (key, shape) in Keys())
        {
            if (key.EndsWith("num_batches_tracked", StringComparison.Ordinal))
            {
                dict[key] = zeros(shape, ScalarType.Int64);
                continue;
            }

            long count = shape.Aggregate(1L, (a, b) => a * b);
            var (low, high) = Rule(key, shape);
            dict[key] = tensor(Values(WeightSeed, offset, count, low, high), shape);
            offset += count;
        }

        return dict;
    }

    public static Tensor Inputs() =>
        tensor(Values(InputSeed, 0, InputShape.Aggregate(1L, (a, b) => a * b), 0, 1), InputShape);
}
