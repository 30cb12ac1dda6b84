namespace CycleGan.Data.Transforms;

/// <summary>
/// A tiny SplitMix64 generator. System.Random's seeded sequence is an implementation detail of the runtime, and the
/// loader needs every sample's randomness to be a pure function of (seed, epoch, position, stream) so that batches
/// do not depend on which worker built them, and a resumed run sees exactly the same crops, flips and pairings.
/// </summary>
public struct SampleRandom
{
    private ulong _state;

    public SampleRandom(ulong seed) => _state = seed;

    /// <summary>A generator whose sequence depends on every key, mixed so that nearby keys give unrelated streams.</summary>
    public static SampleRandom For(long seed, params ReadOnlySpan<long> keys)
    {
        ulong h = Mix((ulong)seed ^ 0x6A09E667F3BCC909UL);
        foreach (long k in keys)
        {
            h = Mix(h ^ Mix((ulong)k + 0x9E3779B97F4A7C15UL));
        }

        return new SampleRandom(h);
    }

    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>Uniform integer in [0, exclusiveMax); exclusiveMax must be positive.</summary>
    public int Next(int exclusiveMax)
    {
        if (exclusiveMax <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(exclusiveMax), "must be positive");
        }

        // Multiply-high keeps the bias below 2^-32, far below anything a training run could notice.
        return (int)((NextUInt64() >> 32) * (ulong)exclusiveMax >> 32);
    }

    /// <summary>Uniform double in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public bool NextBool() => (NextUInt64() >> 63) != 0;

    /// <summary>A Fisher-Yates permutation of 0..count-1.</summary>
    public int[] Permutation(int count)
    {
        var order = new int[count];
        for (int i = 0; i < count; i++)
        {
            order[i] = i;
        }

        for (int i = count - 1; i > 0; i--)
        {
            int j = Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }

        return order;
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
