using CycleGan.Data.Transforms;

namespace CycleGan.Data.Makers;

public sealed record SynthOptions
{
    public required string Output { get; init; }

    public int Size { get; init; } = 64;

    /// <summary>Training images per domain.</summary>
    public int Count { get; init; } = 200;

    /// <summary>Test images per domain; default a fifth of Count, at least 1.</summary>
    public int? TestCount { get; init; }

    public long Seed { get; init; } = 1;

    public int EffectiveTestCount => TestCount ?? Math.Max(1, Count / 5);
}

/// <summary>
/// Writes the synthetic unpaired dataset: trainA/testA plain shapes, trainB/testB striped shapes, drawn from
/// independent random streams so that no training pair exists. testA_truth/NAME is the striped version of testA/NAME
/// (the ideal A-to-B translation) and testB_truth/NAME the plain version of testB/NAME, for evaluation.
/// The same options always give byte-identical files.
/// </summary>
public static class SynthDatasetMaker
{
    private const long TrainA = 1, TrainB = 2, TestA = 3, TestB = 4;

    public static string Make(SynthOptions options)
    {
        if (options.Size is < 8 or > 4096)
        {
            throw new ArgumentException($"--size must be between 8 and 4096, not {options.Size}");
        }

        if (options.Count < 1 || options.EffectiveTestCount < 1)
        {
            throw new ArgumentException($"--count must be positive, not {options.Count}");
        }

        DatasetOutput.Prepare(options.Output);
        int train = options.Count, test = options.EffectiveTestCount;
        for (int i = 0; i < train; i++)
        {
            WritePair(options, TrainA, i, "trainA", striped: false, truthFolder: null);
            WritePair(options, TrainB, i, "trainB", striped: true, truthFolder: null);
        }

        for (int i = 0; i < test; i++)
        {
            WritePair(options, TestA, i, "testA", striped: false, truthFolder: "testA_truth");
            WritePair(options, TestB, i, "testB", striped: true, truthFolder: "testB_truth");
        }

        return $"synth: {train} training and {test} test images per domain, {options.Size}x{options.Size}, seed {options.Seed}, in {options.Output} " +
               "(A: plain shapes, B: striped shapes; testA_truth/testB_truth hold each test image's other-domain version)";
    }

    private static void WritePair(SynthOptions options, long stream, int index, string folder, bool striped, string? truthFolder)
    {
        var random = SampleRandom.For(options.Seed, stream, index);
        SynthShape shape = SynthShape.Random(ref random);
        string name = $"{index:D5}.png";
        using (var image = shape.Render(options.Size, striped))
        {
            DatasetOutput.Write(image, options.Output, folder, name);
        }

        if (truthFolder is not null)
        {
            using var truth = shape.Render(options.Size, !striped);
            DatasetOutput.Write(truth, options.Output, truthFolder, name);
        }
    }
}
