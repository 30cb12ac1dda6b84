using CycleGan.App.Generators;
using CycleGan.App.Inference;
using CycleGan.Data.Imaging;
using Serilog;

namespace CycleGan.App.Evaluation;

/// <summary>`cyclegan evaluate`'s measurements: cycle-consistency and identity errors on the test images, and where the
/// dataset keeps the hidden pairing, PSNR and SSIM of the translations against the truth.</summary>
public static class TestSetEvaluation
{
    public static EvaluationReport Evaluate(TrainedGenerators trained, TestSet set, Device device, int howMany)
    {
        var results = new List<DirectionMetrics>();
        var failed = new List<string>();
        foreach (TestSide s in new[] { set.Side('A'), set.Side('B') })
        {
            char side = s.Folder;
            var (input, output) = s.Channels;
            double cycle = 0, identity = 0, psnr = 0, ssim = 0, inputPsnr = 0, inputSsim = 0;
            int images = 0, truths = 0, identities = 0;
            foreach (string file in set.Files(side, howMany))
            {
                try
                {
                    using var scope = torch.NewDisposeScope();
                    using var noGrad = torch.no_grad();
                    var (real, fake, rec) = TestSet.RoundTrip(s, file, device);
                    float[] realValues = TestSet.UnitValues(real);
                    cycle += ImageMetrics.MeanAbsoluteError(TestSet.UnitValues(rec), realValues);
                    if (input == output)
                    {
                        // the generator that produces this side's domain should leave its images unchanged
                        identity += ImageMetrics.MeanAbsoluteError(TestSet.UnitValues(Translator.Apply(s.Backward, real, s.Multiple)), realValues);
                        identities++;
                    }

                    if (set.TruthFor(side, file) is { } truthFile)
                    {
                        Tensor truth = TestSet.Load(truthFile, output, device);
                        if (truth.shape.SequenceEqual(fake.shape))
                        {
                            float[] truthValues = TestSet.UnitValues(truth), fakeValues = TestSet.UnitValues(fake);
                            int c = (int)fake.shape[1], h = (int)fake.shape[2], w = (int)fake.shape[3];
                            psnr += ImageMetrics.Psnr(fakeValues, truthValues);
                            ssim += ImageMetrics.Ssim(fakeValues, truthValues, c, h, w);
                            if (input == output)
                            {
                                inputPsnr += ImageMetrics.Psnr(realValues, truthValues);
                                inputSsim += ImageMetrics.Ssim(realValues, truthValues, c, h, w);
                            }

                            truths++;
                        }
                    }

                    images++;
                }
                catch (BadImageException ex)
                {
                    Log.Error("{File}: {Error}", file, ex.Reason);
                    failed.Add(file);
                }
            }

            if (images == 0)
            {
                throw new FileNotFoundException($"no readable test images in {Path.Combine(set.Root, $"test{side}")}");
            }

            double? Mean(double sum, int n) => n > 0 ? sum / n : null;
            results.Add(new DirectionMetrics(
                $"{side}->{s.Other}", images, cycle / images, Mean(identity, identities) ?? double.NaN, truths,
                Mean(psnr, truths), Mean(ssim, truths), input == output ? Mean(inputPsnr, truths) : null, input == output ? Mean(inputSsim, truths) : null));
        }

        return new EvaluationReport(trained.Origin.Source, trained.Origin.Epoch, set.Root, results, failed);
    }
}
