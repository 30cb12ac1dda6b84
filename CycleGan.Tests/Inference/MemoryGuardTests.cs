using CycleGan.App.Config;
using CycleGan.App.Inference;
using CycleGan.Tests.Data;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace CycleGan.Tests.Inference;

/// <summary>
/// Each branch of translate's memory guard, decided by the test rather than by the machine: the generator's memory
/// line and the memory available come from a gauge with fixed answers, and a stand-in generator records the batches
/// it is given (and fails with out-of-memory where a case says so). The line is 1 KiB per pixel with nothing fixed,
/// so a 256x256 forward needs 64 MiB, 96 MiB with translate's margin of 1.5.
/// </summary>
public sealed class MemoryGuardTests
{
    private const long KiB = 1024, MiB = 1024 * 1024;

    private static readonly ForwardMemory Line = new(PerPixel: KiB, Fixed: 0);

    private sealed class FixedGauge(ForwardMemory? line, long available) : IMemoryGauge
    {
        public int Measured { get; private set; }

        public ForwardMemory? Measure(nn.Module<Tensor, Tensor> generator, int channels, Device device)
        {
            Measured++;
            return line;
        }

        public long Available() => available;
    }

    /// <summary>Translates one image of each size with a stand-in that returns its input, or throws out-of-memory for
    /// the batches <paramref name="fails"/> picks.</summary>
    private static (IReadOnlyList<TranslateOutcome> Outcomes, StandInGenerator Net, FixedGauge Gauge) Translate(
        TempDirectory dir, (int W, int H)[] sizes, long? limit, long available, Func<long[], bool>? fails = null, int batch = 4)
    {
        var files = sizes.Select((s, i) => TestImages.WritePng(dir.Combine("in", $"{i}.png"), TestImages.Coordinates(s.W, s.H))).ToList();
        var net = new StandInGenerator(x => fails?.Invoke(x.shape) == true ? throw new OutOfMemoryException("stand-in: no memory for this batch") : x.clone());
        var gauge = new FixedGauge(Line, available);
        using var model = StandInGenerator.Model(net, null);
        var translator = new Translator(model[Direction.AtoB], torch.CPU, new TranslateOptions { OutputFolder = dir.Combine("out"), MemoryLimit = limit, Batch = batch })
        {
            MemoryGauge = gauge,
        };
        return (translator.Run(files), net, gauge);
    }

    private static string Shape(long[] shape) => string.Join('x', shape);

    private static (int W, int H) SizeOf(string path)
    {
        using var image = Image.Load<Rgb24>(path);
        return (image.Width, image.Height);
    }

    [Fact]
    public void A_batch_that_fits_runs_whole_with_no_note()
    {
        using var dir = new TempDirectory();
        // two 160x160 images: 2 x 25,600 pixels need 50 MiB; far more is available
        var (outcomes, net, gauge) = Translate(dir, [(160, 160), (160, 160)], limit: null, available: 1L << 40);
        Assert.Equal(1, gauge.Measured);
        Assert.Equal(["2x3x160x160"], net.Calls.Select(Shape));
        Assert.All(outcomes, o => Assert.Equal((null, null), (o.Error, o.Note)));
        Assert.All(outcomes, o => Assert.Equal((160, 160), SizeOf(o.Output!)));
    }

    [Fact]
    public void Small_images_are_not_measured()
    {
        using var dir = new TempDirectory();
        // 128x128 is what the measurement itself runs: no estimate is needed, and a tiny limit changes nothing
        var (outcomes, net, gauge) = Translate(dir, [(128, 128)], limit: 1, available: 0);
        Assert.Equal(0, gauge.Measured);
        Assert.Equal(["1x3x128x128"], net.Calls.Select(Shape));
        Assert.Equal((null, null), (outcomes[0].Error, outcomes[0].Note));
    }

    [Fact]
    public void A_batch_that_would_not_fit_runs_image_by_image()
    {
        using var dir = new TempDirectory();
        // a limit of 45 MiB leaves 30 MiB after the margin: one image (25 MiB) fits, two (50 MiB) do not
        var (outcomes, net, _) = Translate(dir, [(160, 160), (160, 160)], limit: 45 * MiB, available: 0);
        Assert.Equal(["1x3x160x160", "1x3x160x160"], net.Calls.Select(Shape));
        Assert.All(outcomes, o => Assert.Equal((null, null), (o.Error, o.Note)));
    }

    [Theory]
    // 24 MiB: 16 MiB after the margin holds 16,384 pixels, half the side of 256x256
    [InlineData(24 * MiB, null, 128, "1x3x128x128", "24 MB is the --memory-limit")]
    // the same room when it is what is available: the reserve of 256 MiB comes off first
    [InlineData(null, (256 + 24) * MiB, 128, "1x3x128x128", "24 MB is available")]
    // room for 127x127 pixels: 127 pads to 128, which does not fit, so the side shrinks by 15/16 to 119 (padded to 120)
    [InlineData(24_774_144L, null, 119, "1x3x120x120", "24 MB is the --memory-limit")]
    public void An_image_that_would_not_fit_alone_is_translated_smaller_and_scaled_back(long? limit, long? available, int side, string call, string room)
    {
        using var dir = new TempDirectory();
        var (outcomes, net, _) = Translate(dir, [(256, 256)], limit, available ?? 0);
        Assert.Equal([call], net.Calls.Select(Shape));
        TranslateOutcome outcome = Assert.Single(outcomes);
        Assert.Null(outcome.Error);
        Assert.Equal($"translated at {side}x{side} and scaled to 256x256: 256x256 would need about 96 MB and {room}", outcome.Note);
        Assert.Equal((256, 256), SizeOf(outcome.Output!));
    }

    [Fact]
    public void An_image_that_would_not_fit_even_at_64x64_is_refused_and_the_others_go_on()
    {
        using var dir = new TempDirectory();
        // 3 MiB leaves 2 MiB: 2,048 pixels, fewer than 64x64; the 32x24 image needs 768 KiB and is translated
        var (outcomes, net, _) = Translate(dir, [(256, 256), (32, 24)], limit: 3 * MiB, available: 0);
        Assert.Equal(["1x3x24x32"], net.Calls.Select(Shape));
        Assert.Equal("not translated: 256x256 would need about 96 MB and 3 MB is the --memory-limit, too little even at 64x64; " +
                     "free memory, or use a machine with more", outcomes[0].Error);
        Assert.Null(outcomes[0].Output);
        Assert.False(File.Exists(dir.Combine("out", "0_fake_B.png")));
        Assert.Equal((null, null), (outcomes[1].Error, outcomes[1].Note));
    }

    [Fact]
    public void A_batch_that_runs_out_of_memory_is_retried_image_by_image()
    {
        using var dir = new TempDirectory();
        var (outcomes, net, _) = Translate(dir, [(160, 160), (160, 160)], limit: null, available: 1L << 40, fails: shape => shape[0] > 1);
        Assert.Equal(["2x3x160x160", "1x3x160x160", "1x3x160x160"], net.Calls.Select(Shape));
        Assert.All(outcomes, o => Assert.Equal((null, null), (o.Error, o.Note)));
        Assert.All(outcomes, o => Assert.True(File.Exists(o.Output)));
    }

    [Fact]
    public void An_image_that_runs_out_of_memory_alone_fails_and_the_others_go_on()
    {
        using var dir = new TempDirectory();
        // the 160x160 images fail whatever their batch; the 40x30 one is translated
        var (outcomes, net, _) = Translate(dir, [(160, 160), (160, 160), (40, 30)], limit: null, available: 1L << 40, fails: shape => shape[2] == 160);
        Assert.Equal(["2x3x160x160", "1x3x160x160", "1x3x160x160", "1x3x32x40"], net.Calls.Select(Shape));
        Assert.Equal("out of memory translating it at 160x160: stand-in: no memory for this batch", outcomes[0].Error);
        Assert.Equal("out of memory translating it at 160x160: stand-in: no memory for this batch", outcomes[1].Error);
        Assert.Null(outcomes[2].Error);
        Assert.Equal(["2_fake_B.png"], Directory.GetFiles(dir.Combine("out")).Select(Path.GetFileName));
    }
}
