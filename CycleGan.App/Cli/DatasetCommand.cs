using System.CommandLine;
using CycleGan.Data.Makers;

namespace CycleGan.App.Cli;

/// <summary>`cyclegan dataset synth|fashion-mnist`: writes datasets in the reference layout with nothing to download.</summary>
public static class DatasetCommand
{
    public static Command Create()
    {
        var command = new Command("dataset", "Make a dataset in the reference layout (trainA, trainB, testA, testB) without downloading anything.");
        command.Add(CreateSynth());
        command.Add(CreateFashionMnist());
        return command;
    }

    private static Option<string> Output() => new("--output", "-o")
    {
        Description = "Folder to write the dataset into (must not already hold one)",
        Required = true,
        HelpName = "DIR",
    };

    private static Command CreateSynth()
    {
        var output = Output();
        var size = new Option<int>("--size") { Description = "Image width and height in pixels", DefaultValueFactory = _ => 64 };
        var count = new Option<int>("--count") { Description = "Training images per domain", DefaultValueFactory = _ => 200 };
        var testCount = new Option<int?>("--test-count") { Description = "Test images per domain (default: a fifth of --count)" };
        var seed = CommonOptions.Seed(1);
        var command = new Command("synth",
            "Deterministic miniature unpaired dataset: plain shapes (A) and striped shapes (B); testA_truth/testB_truth hold each " +
            "test image's other-domain version for evaluation.")
        {
            output, size, count, testCount, seed,
        };
        command.SetAction(parse =>
        {
            Console.WriteLine(SynthDatasetMaker.Make(new SynthOptions
            {
                Output = parse.GetValue(output)!,
                Size = parse.GetValue(size),
                Count = parse.GetValue(count),
                TestCount = parse.GetValue(testCount),
                Seed = parse.GetValue(seed),
            }));
            return 0;
        });
        return command;
    }

    private static Command CreateFashionMnist()
    {
        var output = Output();
        var classA = new Option<string>("--a") { Description = "Class for domain A, by name or index", Required = true, HelpName = "CLASS" };
        var classB = new Option<string>("--b") { Description = "Class for domain B, by name or index", Required = true, HelpName = "CLASS" };
        var source = new Option<string>("--source")
        {
            Description = "Folder with the four gzip'd IDX files (apt-get install dataset-fashion-mnist puts them in the default)",
            DefaultValueFactory = _ => FashionMnistMaker.DefaultSource,
            HelpName = "DIR",
        };
        var command = new Command("fashion-mnist", "Two Fashion-MNIST classes as domains A and B (28x28 grayscale). " + FashionMnistClasses.Help)
        {
            output, classA, classB, source,
        };
        command.SetAction(parse =>
        {
            int a = FashionMnistClasses.Parse(parse.GetValue(classA)!);
            int b = FashionMnistClasses.Parse(parse.GetValue(classB)!);
            Console.WriteLine(FashionMnistMaker.Make(parse.GetValue(source)!, parse.GetValue(output)!, a, b));
            return 0;
        });
        return command;
    }
}
