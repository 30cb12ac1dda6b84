using CycleGan.App.Data;
using CycleGan.App.Generators;
using CycleGan.App.Layers;
using CycleGan.App.Config;
using CycleGan.Data.Datasets;
using CycleGan.Data.Loading;
using CycleGan.Data.Transforms;

namespace CycleGan.App.Inference;

/// <summary>A trained model's test images: testA/ and testB/ of its dataset (or of --data), and the hidden
/// pairing testA_truth/ and testB_truth/ where the dataset keeps one.</summary>
public sealed class TestSet
{
    private TestSet(string root, TrainedGenerators model)
    {
        Root = root;
        Model = model;
    }

    public string Root { get; }

    public TrainedGenerators Model { get; }

    public static TestSet Open(TrainedGenerators model, string? data)
    {
        string root = data ?? DataRoot.Folder(model.Config.Data);
        root = Path.GetFullPath(root);
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"dataset folder {root} does not exist (the run's data.dataroot; pass --data ROOT for another)");
        }

        return new TestSet(root, model);
    }

    /// <summary>The generators and channels that translate test images of <paramref name="folder"/> and back.</summary>
    public TestSide Side(char folder) => TestSide.Of(folder, Model.Config.Data, d => Model[d]);

    public IReadOnlyList<string> Files(char folder, int howMany)
    {
        string dir = DatasetLayout.DomainDirectory(Root, "test", folder);
        return DatasetLayout.ListImages(dir, howMany).Images;
    }

    /// <summary>The truth image for a test file, if the dataset keeps one (test?_truth/NAME).</summary>
    public string? TruthFor(char folder, string file)
    {
        string truth = Path.Combine(Root, $"test{folder}_truth", Path.GetFileName(file));
        return File.Exists(truth) ? truth : null;
    }

    /// <summary>An image as a 1xCxHxW tensor in [-1, 1] (sides made multiples of 4, as preprocess none does).</summary>
    public static Tensor Load(string path, int channels, Device device)
    {
        ImageBatch batch = SingleImage.Load(path, new TransformOptions { Preprocess = PreprocessMode.None, NoFlip = true }, channels);
        return BatchTensors.ToTensor(batch, device);
    }

    /// <summary>A test image, its translation and its reconstruction (1xCxHxW, in the caller's dispose scope).</summary>
    public static (Tensor Real, Tensor Fake, Tensor Rec) RoundTrip(TestSide side, string file, Device device)
    {
        Tensor real = Load(file, side.Channels.In, device);
        Tensor fake = Translator.Apply(side.Forward, real, side.Multiple);
        return (real, fake, Translator.Apply(side.Backward, fake, side.Multiple));
    }

    /// <summary>A [-1, 1] tensor as [0, 1] values (CHW of the first image), for the metrics.</summary>
    public static float[] UnitValues(Tensor image)
    {
        using var scope = NewDisposeScope();
        return (image[0].clamp(Scalars.Of(-1.0), Scalars.Of(1.0)).Plus(Scalars.Of(1.0)) / Scalars.Of(2.0)).to(ScalarType.Float32).cpu().contiguous().data<float>().ToArray();
    }
}

/// <summary>One side of a test set: its folder letter, the other folder's, the generator from it and the one back.</summary>
public sealed record TestSide(char Folder, char Other, GeneratorIdentity Identity, nn.Module<Tensor, Tensor> Forward, nn.Module<Tensor, Tensor> Backward)
{
    public (int In, int Out) Channels => (Identity.InputChannels, Identity.OutputChannels);

    public int Multiple => Identity.SideMultiple;

    /// <summary>The side of dataset folder <paramref name="folder"/>: with data.direction AtoB folder A is read by G_A,
    /// with BtoA by G_B (the reference's real_A then comes from the B folders).</summary>
    public static TestSide Of(char folder, DataConfig data, Func<Direction, LoadedGenerator> generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        Direction direction = (folder == 'A') == (Directions.Of(data) == Direction.AtoB) ? Direction.AtoB : Direction.BtoA;
        LoadedGenerator forward = generator(direction);
        return new TestSide(folder, folder == 'A' ? 'B' : 'A', forward.Identity, forward.Network, generator(direction.Opposite()).Network);
    }
}
