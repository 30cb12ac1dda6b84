using System.CommandLine;
using CycleGan.App.Devices;
using CycleGan.App.Config;
using CycleGan.App.Generators;
using CycleGan.App.Inference;
using Serilog;

namespace CycleGan.App.Cli;

/// <summary>`cyclegan test`: translates the test images both ways and back, into an HTML page of results.</summary>
public static class TestCommand
{
    public static Command Create()
    {
        var model = ModelOptions.Create(withWeights: false);
        var data = CommonOptions.TestData();
        var howMany = CommonOptions.HowMany(50);
        var results = new Option<string>("--results-dir") { Description = "Where results/NAME/EPOCH/ is written", DefaultValueFactory = _ => "results" };
        var command = new Command("test", "Translate testA and testB both ways and back; write results/NAME/EPOCH/index.html (real, fake, reconstructed).")
        {
            data, howMany, results,
        };
        model.AddTo(command);
        command.SetAction(parse =>
        {
            int n = parse.GetValue(howMany); // range: OptionRanges

            var device = TorchRuntime.Start(parse.GetValue(model.Device), parse.GetValue(model.KeepOneDnn));
            using TrainedGenerators trained = model.Load(parse, Direction.AtoB, device, weightsAllowed: false);
            TestSet set = TestSet.Open(trained, parse.GetValue(data));
            string folder = TestResults.FolderFor(trained, parse.GetValue(results)!);
            ResultsFolder.Claim(folder, trained.Origin.RunFolder ?? trained.Origin.Source);
            Log.Information("Testing {Source} ({Epoch}) on {Root}: up to {N} images per domain into {Folder}", trained.Origin.Source, EpochLabel.Of(trained.Origin.Epoch), set.Root, n, folder);

            var (count, failed) = TestResults.Write(trained, set, n, folder, device);
            Log.Information("Wrote {Count} result rows; open {Index}", count, TestResults.IndexFile(folder));
            // as evaluate and translate: the readable images are done, and a file that failed fails the command
            if (failed > 0)
            {
                Log.Error("{Failed} test image(s) failed (see above)", failed);
            }

            return failed == 0 ? 0 : 1;
        });
        return command;
    }
}
