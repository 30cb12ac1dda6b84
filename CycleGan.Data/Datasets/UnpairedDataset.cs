using System.Collections.Concurrent;
using CycleGan.Data.Imaging;
using CycleGan.Data.Loading;
using CycleGan.Data.Transforms;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace CycleGan.Data.Datasets;

/// <summary>
/// The reference's unaligned dataset. Sample i of an epoch takes A[i mod |A|] and, unless serial_batches, a random
/// B; the epoch has max(|A|, |B|) samples, visited in an order reshuffled every epoch (the reference's DataLoader
/// shuffle) unless serial_batches. All randomness is derived from (seed, epoch, offset), so batches are the same
/// whatever thread builds them, and a saved <see cref="DatasetPosition"/> continues the identical stream.
/// Thread-safe: the loader's workers call <see cref="LoadSample"/> concurrently.
/// </summary>
public sealed class UnpairedDataset
{
    private const long OrderStream = 0x0ADE2, PickBStream = 0xB, TransformAStream = 0xA1, TransformBStream = 0xB1;

    private readonly UnpairedDatasetOptions _options;
    private readonly ConcurrentDictionary<string, string> _badFiles = new(StringComparer.Ordinal);
    private readonly Lock _orderLock = new();
    private (int Epoch, int[] Order)? _order;

    public UnpairedDataset(UnpairedDatasetOptions options)
    {
        options.Transform.Validate();
        if (options.ChannelsA is not (1 or 3) || options.ChannelsB is not (1 or 3))
        {
            throw new ArgumentException($"channels must be 1 or 3 (A: {options.ChannelsA}, B: {options.ChannelsB})");
        }

        if (options.MaxDatasetSize < 1)
        {
            throw new ArgumentException($"max_dataset_size must be positive, not {options.MaxDatasetSize}");
        }

        _options = options;
        DirectoryA = DatasetLayout.DomainDirectory(options.Root, options.Phase, 'A');
        DirectoryB = DatasetLayout.DomainDirectory(options.Root, options.Phase, 'B');
        (FilesA, var ignoredA) = DatasetLayout.ListImages(DirectoryA, options.MaxDatasetSize);
        (FilesB, var ignoredB) = DatasetLayout.ListImages(DirectoryB, options.MaxDatasetSize);
        IgnoredFiles = [.. ignoredA, .. ignoredB];
        if (IgnoredFiles.Count > 0)
        {
            options.Warn?.Invoke($"ignored {IgnoredFiles.Count} file(s) without an image extension, e.g. {IgnoredFiles[0]}");
        }
    }

    public string DirectoryA { get; }

    public string DirectoryB { get; }

    public IReadOnlyList<string> FilesA { get; }

    public IReadOnlyList<string> FilesB { get; }

    /// <summary>Files under the domain folders that were not picked up because of their extension.</summary>
    public IReadOnlyList<string> IgnoredFiles { get; }

    /// <summary>Samples per epoch: the larger domain.</summary>
    public int Length => Math.Max(FilesA.Count, FilesB.Count);

    /// <summary>Files skipped so far because they could not be decoded, with the reason.</summary>
    public IReadOnlyDictionary<string, string> BadFiles => _badFiles;

    public UnpairedDatasetOptions Options => _options;

    public string Summary =>
        $"{DirectoryA}: {FilesA.Count} images, {DirectoryB}: {FilesB.Count} images, {Length} samples per epoch; " +
        $"{_badFiles.Count} unreadable file(s) skipped, {IgnoredFiles.Count} non-image file(s) ignored";

    /// <summary>The sample index visited at <paramref name="offset"/> of <paramref name="epoch"/>.</summary>
    public int IndexAt(int epoch, int offset)
    {
        CheckOffset(offset);
        return _options.SerialBatches ? offset : OrderOf(epoch)[offset];
    }

    /// <summary>Which files sample (epoch, offset) pairs, before any bad-file substitution.</summary>
    public (int IndexA, int IndexB) PairAt(int epoch, int offset)
    {
        int index = IndexAt(epoch, offset);
        int b = _options.SerialBatches
            ? index % FilesB.Count
            : SampleRandom.For(_options.Seed, epoch, offset, PickBStream).Next(FilesB.Count);
        return (index % FilesA.Count, b);
    }

    /// <summary>Decodes and transforms sample (epoch, offset). An unreadable file is skipped for the next one of its
    /// domain (deterministically), recorded in <see cref="BadFiles"/> and reported once through Warn.</summary>
    public (ImageBatch A, ImageBatch B) LoadSample(int epoch, int offset)
    {
        var (a, b) = PairAt(epoch, offset);
        var randomA = SampleRandom.For(_options.Seed, epoch, offset, TransformAStream);
        var randomB = SampleRandom.For(_options.Seed, epoch, offset, TransformBStream);
        return (Load(FilesA, DirectoryA, a, _options.ChannelsA, ref randomA), Load(FilesB, DirectoryB, b, _options.ChannelsB, ref randomB));
    }

    private ImageBatch Load(IReadOnlyList<string> files, string dir, int index, int channels, ref SampleRandom random)
    {
        for (int k = 0; k < files.Count; k++)
        {
            string path = files[(index + k) % files.Count];
            if (_badFiles.ContainsKey(path))
            {
                continue;
            }

            Image<Rgb24> image;
            try
            {
                image = ImageDecoder.LoadRgb(path, _options.Decode);
            }
            catch (BadImageException ex)
            {
                if (_badFiles.TryAdd(path, ex.Reason))
                {
                    _options.Warn?.Invoke($"skipping unreadable image {path}: {ex.Reason}");
                }

                continue;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw new DataLoadException(path, ex); // e.g. the file vanished or cannot be read: not a bad image, a broken run
            }

            using (image)
            {
                try
                {
                    ImageTransform.Apply(image, _options.Transform, ref random, path);
                    var data = new float[channels * image.Width * image.Height];
                    PixelConversion.ToNormalizedChw(image, channels, data);
                    return new ImageBatch(data, 1, channels, image.Height, image.Width, [path]);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    throw new DataLoadException(path, ex);
                }
            }
        }

        throw new IOException($"every one of the {files.Count} image(s) in '{dir}' is unreadable; see the warnings naming them.");
    }

    private int[] OrderOf(int epoch)
    {
        lock (_orderLock)
        {
            if (_order is not { } cached || cached.Epoch != epoch)
            {
                _order = cached = (epoch, SampleRandom.For(_options.Seed, epoch, OrderStream).Permutation(Length));
            }

            return cached.Order;
        }
    }

    private void CheckOffset(int offset)
    {
        if (offset < 0 || offset >= Length)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), $"offset {offset} is outside the epoch of {Length} samples");
        }
    }
}
