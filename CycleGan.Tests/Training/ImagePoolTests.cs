using CycleGan.App.Layers;
using CycleGan.App.Training;
using TorchSharp;

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
    public void Fills_first_then_returns_stored_images_about_half_the_time()
    {
        using var scope = torch.NewDisposeScope();
        using var pool = new ImagePool(5, new SeededRandom(3));
        // Image k is a constant k, so what comes back tells where it came from.
        for (int k = 0; k < 5; k++)
        {
            Assert.Equal(k, pool.Query(torch.full(1, 1, 2, 2, Scalars.Of((double)k))).mean().item<float>());
        }

        Assert.Equal(5, pool.Count);
        int fromHistory = 0;
        const int n = 2000;
        for (int k = 5; k < 5 + n; k++)
        {
            using var inner = torch.NewDisposeScope();
            float got = pool.Query(torch.full(1, 1, 2, 2, Scalars.Of((double)k))).mean().item<float>();
            if (got != k)
            {
                fromHistory++;
                Assert.True(got < k, "a returned history image must be an older one");
            }
        }

        Assert.Equal(5, pool.Count);
        // Binomial(2000, 0.5): 99.9% of draws fall within 1000 +/- 74.
        Assert.InRange(fromHistory, 926, 1074);
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
