using System.CommandLine;
using CycleGan.App.Devices;
using CycleGan.App.Evaluation;
using CycleGan.App.Config;
using CycleGan.App.Generators;
using CycleGan.App.Inference;
using Serilog;
using CycleGan.App.Runs;

namespace CycleGan.App.Cli;

/// <summary>`cyclegan evaluate`: cycle-consistency and identity errors on the test images, and where the dataset keeps
/// the hidden pairing, PSNR and SSIM of the translations against the truth.</summary>
public static class EvaluateCommand
{
    public static Command Create()
    {
        var model = ModelOptions.Create(withWeights: false);
        var data = CommonOptions.TestData();
        var howMany = CommonOptions.HowMany(1000);
        var json = new Option<bool>("--json") { Description = "Print the results as JSON instead of a table" };
        var fid = new Option<bool>("--fid") { Description = "Also the FID of each direction's translations against the other domain's real test images (needs the FID Inception weights)" };
        var kid = new Option<bool>("--kid") { Description = "Also the KID (mean and standard deviation over subsets), as --fid" };
        var weights = new Option<string?>("--inception-weights")
        {
            Description = $"The FID Inception weights ({InceptionWeights.FileName}); default: ${InceptionWeights.EnvironmentVariable}, then the run's output.inception_weights",
        };
        var command = new Command("evaluate", "Measure a trained model on the test images: cycle and identity L1; PSNR and SSIM against the truth where the dataset has one; FID and KID on request.")
        {
            data, howMany, json, fid, kid, weights,
        };
        model.AddTo(command);
        command.SetAction(parse =>
        {
            var device = TorchRuntime.Start(parse.GetValue(model.Device), parse.GetValue(model.KeepOneDnn));
            using TrainedGenerators trained = model.Load(parse, Direction.AtoB, device, weightsAllowed: false);
            TestSet set = TestSet.Open(trained, parse.GetValue(data));
            bool wantFid = parse.GetValue(fid), wantKid = parse.GetValue(kid);
            using FidInception? inception = wantFid || wantKid
                ? InceptionWeights.Load(InceptionWeights.Resolve(parse.GetValue(weights), trained.Config.Output.InceptionWeights), device)
                : null;
            EvaluationReport report = TestSetEvaluation.Evaluate(trained, set, device, parse.GetValue(howMany));
            if (inception is not null)
            {
                var failed = new List<string>();
                report = report with
                {
                    Distribution = DistributionScores.Compute([set.Side('A'), set.Side('B')], f => set.Files(f, parse.GetValue(howMany)),
                        inception, device, wantFid, wantKid, failed),
                };
            }

            Console.Write(parse.GetValue(json) ? report.ToJson() + Environment.NewLine : report.Table());
            return report.Failed.Count == 0 ? 0 : 1;
        });
        return command;
    }
}
