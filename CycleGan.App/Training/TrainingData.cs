using CycleGan.App.Config;
using CycleGan.Data.Datasets;
using CycleGan.Data.Loading;
using CycleGan.Data.Makers;
using CycleGan.Data.Transforms;

namespace CycleGan.App.Training;

/// <summary>Turns a config's data section into the dataset and loader the trainer reads, making the built-in
/// synthetic dataset on first use.</summary>
public static class TrainingData
{
    /// <summary>The dataset folder a config names; the synthetic one is made if it is not there yet.</summary>
    public static string ResolveRoot(DataConfig data, Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!DataRoot.IsSynthetic(data))
        {
            string root = DataRoot.Folder(data);
            if (!Directory.Exists(root))
            {
                throw new DirectoryNotFoundException($"data.dataroot: dataset folder {root} does not exist " +
                                                     (PublicDatasets.HowToGet(root) is { } get ? $"; {get}" :
                                                     $"(set data.dataroot to a folder with trainA/ and trainB/, or to \"{DataRoot.Synthetic}\" for the built-in synthetic dataset)"));
            }

            return root;
        }

        int size = data.LoadSize;
        string synth = DataRoot.SyntheticFolder(size);
        if (Directory.Exists(Path.Combine(synth, "trainA")))
        {
            return synth;
        }

        // Made in a private folder and renamed into place, so an interrupted or concurrent first use never leaves
        // a half-written dataset where the next run would take it for a whole one.
        string temp = $"{synth}.making-{Environment.ProcessId}-{Guid.NewGuid():N}";
        try
        {
            string summary = SynthDatasetMaker.Make(new SynthOptions { Output = temp, Size = size });
            Directory.Move(temp, synth);
            log($"made the built-in synthetic dataset: {summary.Replace(temp, synth, StringComparison.Ordinal)}");
        }
        catch (IOException) when (Directory.Exists(Path.Combine(synth, "trainA")))
        {
            // another process made it first
        }
        finally
        {
            if (Directory.Exists(temp))
            {
                Directory.Delete(temp, recursive: true);
            }
        }

        return synth;
    }

    public static UnpairedDataset OpenDataset(CycleGanConfig config, string root, string phase, Action<string> warn)
    {
        DataConfig data = config.Data;
        bool aToB = data.Direction == "AtoB";
        return new UnpairedDataset(new UnpairedDatasetOptions
        {
            Root = root,
            Phase = phase,
            Transform = new TransformOptions
            {
                Preprocess = PreprocessModes.Parse(data.Preprocess),
                LoadSize = data.LoadSize,
                CropSize = data.CropSize,
                NoFlip = data.NoFlip,
            },
            // trainA holds the generator's input domain only when direction is AtoB
            ChannelsA = aToB ? data.InputNc : data.OutputNc,
            ChannelsB = aToB ? data.OutputNc : data.InputNc,
            Seed = config.Seed,
            SerialBatches = data.SerialBatches,
            MaxDatasetSize = data.MaxDatasetSize ?? int.MaxValue,
            Warn = warn,
        });
    }

    public static PrefetchLoader OpenLoader(UnpairedDataset dataset, DataConfig data) =>
        new(dataset, new LoaderOptions { BatchSize = data.BatchSize, Workers = data.NumThreads, QueueCapacity = Math.Max(2, 2 * data.NumThreads) });
}
