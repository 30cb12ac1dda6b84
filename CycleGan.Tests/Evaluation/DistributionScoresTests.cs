using CycleGan.App.Config;
using CycleGan.App.Generators;
using CycleGan.App.Evaluation;
using CycleGan.App.Inference;
using CycleGan.App.Layers;
using CycleGan.Tests.Data;

namespace CycleGan.Tests.Evaluation;

/// <summary>FID/KID over test folders: unreadable images skipped by name and counted; FID computed for any N >= 2
/// (as pytorch-fid does) with the note that small sets bias it upward.</summary>
public sealed class DistributionScoresTests
{
    [Fact]
    public void Unreadable_images_are_skipped_by_name_and_small_sets_get_fid_with_the_bias_note_and_kid()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.Combine("testA"));
        Directory.CreateDirectory(dir.Combine("testB"));
        TestImages.WriteSolidPng(dir.Combine("testA", "a1.png"), 20, 16, 200, 30, 30);
        TestImages.WriteSolidPng(dir.Combine("testA", "a2.png"), 16, 16, 30, 200, 30);
        File.WriteAllBytes(dir.Combine("testA", "broken.png"), [0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
        TestImages.WriteSolidPng(dir.Combine("testB", "b1.png"), 16, 16, 30, 30, 200);
        TestImages.WriteSolidPng(dir.Combine("testB", "b2.png"), 16, 12, 250, 250, 250);

        using var scope = torch.NewDisposeScope();
        using var inception = new FidInception();
        InceptionWeights.LoadInto(inception, SplitMixWeights.StateDict(), "generated weights");
        var same = new Identity();
        var identity = new GeneratorIdentity(Direction.AtoB, 3, 3, 4, "identity");
        TestSide[] sides = [new('A', 'B', identity, same, same), new('B', 'A', identity with { Direction = Direction.BtoA }, same, same)];
        var failed = new List<string>();
        var scores = DistributionScores.Compute(sides,
            f => Directory.GetFiles(dir.Combine($"test{f}")).Order(StringComparer.Ordinal).ToList(), inception, torch.CPU, fid: true, kid: true, failed);

        Assert.Equal([dir.Combine("testA", "broken.png")], failed);
        Assert.Equal(["A->B", "B->A"], scores.Select(s => s.Direction));
        Assert.Equal((2, 2), (scores[0].Translated, scores[0].Real));
        Assert.All(scores, s =>
        {
            Assert.True(s.Fid is { } f && double.IsFinite(f) && f > 0, $"FID {s.Fid}");
            Assert.Contains("biased upward", s.FidNote);
            Assert.Contains("2 and 2 images", s.FidNote);
            Assert.Equal(2, s.KidSubsetSize);
            Assert.True(s.Kid is { } k && double.IsFinite(k));
        });

        // with identity "generators" each direction compares testA with testB and the reverse: one KID and one FID
        // (tr sqrt(S1 S2) = tr sqrt(S2 S1)) both ways, and that FID is the one of the two folders' features
        Assert.Equal(scores[0].Kid!.Value, scores[1].Kid!.Value, 6);
        Assert.True(Math.Abs(scores[0].Fid!.Value - scores[1].Fid!.Value) <= 1e-6 * scores[0].Fid!.Value, $"FID {scores[0].Fid} and {scores[1].Fid}");
        using var featuresA = new InceptionFeatures(inception, torch.CPU);
        using var featuresB = new InceptionFeatures(inception, torch.CPU);
        featuresA.Add(TestSet.Load(dir.Combine("testA", "a1.png"), 3, torch.CPU));
        featuresA.Add(TestSet.Load(dir.Combine("testA", "a2.png"), 3, torch.CPU));
        featuresB.Add(TestSet.Load(dir.Combine("testB", "b1.png"), 3, torch.CPU));
        featuresB.Add(TestSet.Load(dir.Combine("testB", "b2.png"), 3, torch.CPU));
        Assert.Equal(FrechetDistance.Compute(featuresA.Collect(), featuresB.Collect()), scores[0].Fid!.Value, 9);
    }
}
