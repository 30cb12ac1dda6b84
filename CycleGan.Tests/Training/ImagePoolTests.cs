using CycleGan.App.Layers;
using CycleGan.App.Training;

namespace CycleGan.Tests.Training;

public class ImagePoolTests
{
    [Fact]
    public void Size_zero_returns_the_batch_itself()
    {
        using var scope = torch.NewDisposeScope();
        using var pool = new ImagePool(0, new SeededRandom(1));
        var batch = torch.randn(2, 3, 4, 4);
        Assert.Same(batch, pool.Query(batch));
    }

    [Fact]
    public void History_images_of_another_size_are_never_mixed_into_a_batch()
    {
        // a run resumed with another crop size: the pool holds 4x4 fakes, the batches are now 8x8
        using var scope = torch.NewDisposeScope();
        using var pool = new ImagePool(4, new SeededRandom(5));
        pool.Restore(Enumerable.Range(0, 4).Select(k => torch.full(1, 1, 4, 4, Scalars.Of((double)k))));
        for (int i = 0; i < 20; i++)
        {
            var batch = torch.full(3, 1, 8, 8, Scalars.Of(100.0 + i));
            Assert.Equal(batch.shape, pool.Query(batch).shape);
        }

        Assert.All(pool.Images, image => Assert.Equal(new long[] { 1, 1, 8, 8 }, image.shape));
    }

    [Fact]
    public void Fills_first_then_swaps_on_the_documented_draws()
    {
        using var scope = torch.NewDisposeScope();
        using var pool = new ImagePool(5, new SeededRandom(3));
        // Image k is a constant k, so what comes back tells where it came from.
        for (int k = 0; k < 5; k++)
        {
            Assert.Equal(k, pool.Query(torch.full(1, 1, 2, 2, Scalars.Of((double)k))).mean().item<float>());
        }

        Assert.Equal(5, pool.Count);
        const int n = 2000;
        var got = new float[n];
        for (int k = 5; k < 5 + n; k++)
        {
            using var inner = torch.NewDisposeScope();
            got[k - 5] = pool.Query(torch.full(1, 1, 2, 2, Scalars.Of((double)k))).mean().item<float>();
        }

        // The same pool replayed on plain integers with the documented generator (xoshiro256** seeded by splitmix64,
        // written out below from the published algorithms, not taken from the product): every returned image, in order.
        var draws = new Xoshiro256StarStar(3);
        int[] slots = [0, 1, 2, 3, 4];
        var expected = new float[n];
        for (int k = 5; k < 5 + n; k++)
        {
            expected[k - 5] = k;
            if ((draws.Next() >> 11) * (1.0 / (1UL << 53)) > 0.5)
            {
                int slot = draws.Below(5);
                expected[k - 5] = slots[slot];
                slots[slot] = k;
            }
        }

        Assert.Equal(expected, got);
        Assert.Equal(slots.Select(v => (float)v), pool.Images.Select(t => t.mean().item<float>()));
        Assert.Equal(5, pool.Count);
        // and the swaps are about half: a fixed seed, so one exact count, which the same draws replayed in Python also
        // give (a coin biased a little is not hidden by a window)
        Assert.Equal(1002, expected.Select((v, i) => v != i + 5).Count(swapped => swapped));
    }

    /// <summary>xoshiro256** (Blackman and Vigna), its state seeded by four splitmix64 outputs.</summary>
    private sealed class Xoshiro256StarStar
    {
        private readonly ulong[] s = new ulong[4];

        public Xoshiro256StarStar(ulong seed)
        {
            for (int i = 0; i < 4; i++)
            {
                seed += 0x9E3779B97F4A7C15UL;
                ulong z = seed;
                z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
                z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
                s[i] = z ^ (z >> 31);
            }
        }

        public ulong Next()
        {
            ulong result = ulong.RotateLeft(s[1] * 5, 7) * 9;
            ulong t = s[1] << 17;
            s[2] ^= s[0];
            s[3] ^= s[1];
            s[1] ^= s[2];
            s[0] ^= s[3];
            s[2] ^= t;
            s[3] = ulong.RotateLeft(s[3], 45);
            return result;
        }

        /// <summary>Uniform in [0, bound) by rejection of the incomplete last block.</summary>
        public int Below(int bound)
        {
            ulong limit = ulong.MaxValue - (ulong.MaxValue % (ulong)bound);
            ulong r;
            do
            {
                r = Next();
            }
            while (r >= limit);
            return (int)(r % (ulong)bound);
        }
    }

    [Fact]
    public void Same_seed_gives_the_same_choices()
    {
        using var scope = torch.NewDisposeScope();
        float[] Run()
        {
            using var pool = new ImagePool(3, new SeededRandom(9));
            return Enumerable.Range(0, 30).Select(k => pool.Query(torch.full(1, 1, 1, 1, Scalars.Of((double)k))).item<float>()).ToArray();
        }

        Assert.Equal(Run(), Run());
    }

    [Fact]
    public void Pool_outlives_the_scope_of_the_batches_it_kept()
    {
        using var pool = new ImagePool(2, new SeededRandom(1));
        using (torch.NewDisposeScope())
        {
            pool.Query(torch.ones(2, 1, 2, 2));
        }

        Assert.All(pool.Images, t => Assert.False(t.IsInvalid));
        Assert.Equal(8f, pool.Images.Sum(t => t.sum().item<float>()));
    }
}
