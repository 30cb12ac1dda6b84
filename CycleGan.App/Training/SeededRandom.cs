namespace CycleGan.App.Training;

/// <summary>
/// A small random generator (xoshiro256**, seeded through splitmix64) whose whole state is four numbers, so that a
/// checkpoint can save it and a resumed run draws exactly what the uninterrupted run would have drawn.
/// System.Random cannot do that: its state is not observable.
/// </summary>
public sealed class SeededRandom
{
    private ulong s0, s1, s2, s3;

    public SeededRandom(ulong seed)
    {
        ulong x = seed;
        s0 = SplitMix(ref x);
        s1 = SplitMix(ref x);
        s2 = SplitMix(ref x);
        s3 = SplitMix(ref x);
    }

    private SeededRandom(ulong[] state) => State = state;

    /// <summary>The full state; setting it continues the sequence from that point.</summary>
    public ulong[] State
    {
        get => [s0, s1, s2, s3];
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            if (value.Length != 4 || value.All(v => v == 0))
            {
                throw new ArgumentException("a generator state is four numbers, not all zero", nameof(value));
            }

            (s0, s1, s2, s3) = (value[0], value[1], value[2], value[3]);
        }
    }

    public static SeededRandom FromState(ulong[] state) => new(state);

    public ulong NextUInt64()
    {
        ulong result = BitRotate(s1 * 5, 7) * 9;
        ulong t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = BitRotate(s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, maxExclusive), without modulo bias.</summary>
    public int NextInt(int maxExclusive)
    {
        if (maxExclusive <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxExclusive), maxExclusive, "must be positive");
        }

        ulong bound = (ulong)maxExclusive;
        ulong limit = ulong.MaxValue - (ulong.MaxValue % bound);
        ulong r;
        do
        {
            r = NextUInt64();
        }
        while (r >= limit);
        return (int)(r % bound);
    }

    private static ulong BitRotate(ulong x, int k) => (x << k) | (x >> (64 - k));

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
