using CycleGan.App.Inference;
using CycleGan.Data.Imaging;
using Serilog;
using CycleGan.App.Runs;

namespace CycleGan.App.Evaluation;

/// <summary>
/// FID and KID both ways: the translations of testA against the real testB images (A->B), and of testB against
/// testA (B->A). Unreadable images are skipped, named in <paramref name="failed"/>. FID is computed for any N >= 2 per
/// set, as pytorch-fid computes it; below 2049 images the note says that it is biased upward and comparable only at
/// equal N (<see cref="FidSampleSize"/>).
/// </summary>
public static class DistributionScores
{
    public static IReadOnlyList<DistributionScore> Compute(
        IReadOnlyList<TestSide> sides, Func<char, IReadOnlyList<string>> files, FidInception inception, Device device, bool fid, bool kid, ICollection<string> failed)
    {
        // the real images of each folder are needed once each, the translations once each
        var real = new Dictionary<char, Tensor>();
        var translated = new Dictionary<char, Tensor>();
        try
        {
            foreach (TestSide side in sides)
            {
                using var realFeatures = new InceptionFeatures(inception, device);
                using var fakeFeatures = new InceptionFeatures(inception, device);
                foreach (string file in files(side.Folder))
                {
                    try
                    {
                        using var scope = torch.NewDisposeScope();
                        using var noGrad = torch.no_grad();
                        Tensor image = TestSet.Load(file, side.Channels.In, device);
                        realFeatures.Add(image);
                        fakeFeatures.Add(Translator.Apply(side.Forward, image, side.Multiple));
                    }
                    catch (BadImageException ex)
                    {
                        Log.Error("{File}: {Error}", file, ex.Reason);
                        failed.Add(file);
                    }
                }

                real[side.Folder] = realFeatures.Collect();
                translated[side.Folder] = fakeFeatures.Collect();
            }

            var scores = new List<DistributionScore>();
            foreach (TestSide side in sides)
            {
                Tensor fakes = translated[side.Folder];
                Tensor reals = real.TryGetValue(side.Other, out var r) ? r : throw new InvalidOperationException($"no real images of {side.Other}");
                scores.Add(Score($"{side.Folder}->{side.Other}", fakes, reals, fid, kid));
            }

            return scores;
        }
        finally
        {
            foreach (var t in real.Values.Concat(translated.Values))
            {
                t.Dispose();
            }
        }
    }

    public static DistributionScore Score(string direction, Tensor fakes, Tensor reals, bool fid, bool kid)
    {
        int nf = (int)fakes.shape[0], nr = (int)reals.shape[0];
        double? fidValue = null;
        string? note = null;
        if (fid)
        {
            if (Math.Min(nf, nr) < 2)
            {
                note = $"FID needs at least 2 images per set, got {nf} translated and {nr} real";
            }
            else
            {
                fidValue = FrechetDistance.Compute(fakes, reals);
                note = FidSampleSize.Note(nf, nr);
            }
        }

        KidResult? kidValue = null;
        if (kid)
        {
            if (Math.Min(nf, nr) < 2)
            {
                note = (note is null ? string.Empty : note + "; ") + $"KID needs at least 2 images per set, got {nf} and {nr}";
            }
            else
            {
                kidValue = KernelInceptionDistance.Compute(fakes, reals);
            }
        }

        return new DistributionScore(direction, nf, nr, fidValue, note, kidValue?.Mean, kidValue?.Std, kidValue?.SubsetSize, kidValue?.Subsets);
    }
}
