using System.Threading.Channels;
using CycleGan.App.Data;
using CycleGan.App.Generators;
using CycleGan.Data.Imaging;
using CycleGan.Data.Loading;
using CycleGan.Data.Transforms;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace CycleGan.App.Inference;

/// <summary>How images are translated.</summary>
public sealed record TranslateOptions
{
    public required string OutputFolder { get; init; }

    /// <summary>Translate at NxN (resized); null keeps each image's own size.</summary>
    public int? Size { get; init; }

    /// <summary>Images with more pixels are translated scaled down to this many and the result scaled back up, so
    /// memory stays bounded whatever the input.</summary>
    public long MaxPixels { get; init; } = 2048L * 2048;

    public int Batch { get; init; } = 4;

    public bool Overwrite { get; init; }

    /// <summary>Bytes a forward pass may take; null: the memory available when it runs (see <see cref="AvailableMemory"/>).</summary>
    public long? MemoryLimit { get; init; }
}

/// <summary>One input's outcome: the file written, or why there is none; a note says when it was translated smaller
/// than asked because memory would not hold it.</summary>
public sealed record TranslateOutcome(string Input, string? Output, string? Error, string? Note = null);

/// <summary>
/// Applies a trained generator to image files: decoding runs ahead on a background thread, images of equal size are
/// batched, the network runs under no_grad in eval mode, and each result is written atomically as a PNG. An input's
/// size is kept: it is padded by reflection to the network's multiple and cropped back. A file that fails (not an
/// image, corrupt, unreadable, an existing output) is reported and the others go on.
/// Memory: before an image larger than 128x128 is run, the generator's memory per pixel is measured
/// (<see cref="ForwardMemory"/>); a batch that would not fit in the memory available runs image by image, and an image
/// that would not fit alone is translated at the largest size that fits and scaled back up (with a note), or, below
/// 64x64, refused with its size and the memory it needs. An allocation failure all the same fails that image only.
/// </summary>
public sealed class Translator(LoadedGenerator loaded, Device device, TranslateOptions options)
{
    private readonly nn.Module<Tensor, Tensor> generator = loaded.Network;
    private readonly (int In, int Out) channels = (loaded.Identity.InputChannels, loaded.Identity.OutputChannels);
    private readonly int sideMultiple = loaded.Identity.SideMultiple;

    /// <summary>Called after each file with the number done and the total.</summary>
    public Action<int, int>? Progress { get; init; }

    /// <summary>Where the memory guard reads the generator's memory line and the memory available (default: this machine).</summary>
    public IMemoryGauge MemoryGauge { get; init; } = new MachineMemory();

    /// <summary>The measured memory line of the generator, once <see cref="Run"/> needed it (null: not measured).</summary>
    public ForwardMemory? Memory { get; private set; }

    /// <summary>Smallest translation (pixels) worth making when memory is short; below it an image is refused.</summary>
    public const long MinimumPixels = 64 * 64;

    /// <summary>Estimates are multiplied by this before they are compared with the memory available: forwards at
    /// 256x256 were seen to take up to 1.3 times what the line measured at 64 and 128 predicts.</summary>
    public const double Margin = 1.5;

    /// <summary>Memory left to the rest of the system when the limit is what is available.</summary>
    public const long Reserve = 256L << 20;

    public IReadOnlyList<TranslateOutcome> Run(IReadOnlyList<string> files, CancellationToken cancellation = default)
    {
        Directory.CreateDirectory(options.OutputFolder);
        if (LargestForward(files) > ForwardMemory.CalibrationPixels)
        {
            Memory = MemoryGauge.Measure(generator, channels.In, device);
        }

        var outcomes = new List<TranslateOutcome>(files.Count);
        var inputs = new HashSet<string>(files.Select(Path.GetFullPath), StringComparer.Ordinal);
        var decoded = Channel.CreateBounded<Decoded>(new BoundedChannelOptions(Math.Max(2, options.Batch * 2)) { SingleReader = true, SingleWriter = true });
        var names = OutputNames.Assign(files, loaded.Identity.OutputSuffix, ".png");
        var reader = Task.Run(() => Decode(names, inputs, decoded.Writer, cancellation), cancellation);
        var pending = new List<Decoded>();
        foreach (Decoded item in decoded.Reader.ReadAllAsync(cancellation).ToBlockingEnumerable(cancellation))
        {
            if (item.Error is not null)
            {
                outcomes.Add(new TranslateOutcome(item.Input, null, item.Error));
                Progress?.Invoke(outcomes.Count, files.Count);
                continue;
            }

            if (pending.Count > 0 && (pending.Count == options.Batch || !SameShape(pending[0], item)))
            {
                Flush(pending, outcomes, files.Count);
            }

            pending.Add(item);
        }

        Flush(pending, outcomes, files.Count);
        reader.GetAwaiter().GetResult();
        return outcomes;
    }

    private void Decode(IReadOnlyList<(string Input, string? Name, string? Error)> names, HashSet<string> inputs, ChannelWriter<Decoded> writer,
        CancellationToken cancellation)
    {
        try
        {
            foreach (var (file, name, error) in names)
            {
                cancellation.ThrowIfCancellationRequested();
                Decoded item = name is null
                    ? Decoded.Failed(file, error!)
                    : DecodeOne(file, Path.Combine(options.OutputFolder, name.Replace('/', Path.DirectorySeparatorChar)), inputs);
                writer.WriteAsync(item, cancellation).AsTask().GetAwaiter().GetResult();
            }
        }
        finally
        {
            writer.Complete();
        }
    }

    private Decoded DecodeOne(string file, string output, HashSet<string> inputs)
    {
        if (inputs.Contains(Path.GetFullPath(output)))
        {
            return Decoded.Failed(file, $"its output name {output} is one of the inputs; inputs are never overwritten (choose another --output)");
        }

        if (File.Exists(output) && !options.Overwrite)
        {
            return Decoded.Failed(file, $"{output} exists (pass --overwrite to replace it)");
        }

        try
        {
            using Image<Rgb24> image = ImageDecoder.LoadRgb(file);
            int width = image.Width, height = image.Height;
            (int w, int h) = (width, height);
            if (options.Size is { } side)
            {
                (w, h) = (side, side);
            }
            else if ((long)w * h > options.MaxPixels)
            {
                double scale = Math.Sqrt(options.MaxPixels / ((double)w * h));
                (w, h) = (Math.Max(1, (int)(w * scale)), Math.Max(1, (int)(h * scale)));
            }

            if (w != width || h != height)
            {
                image.Mutate(c => c.Resize(w, h, ImageTransform.Resampler));
            }

            var data = new float[channels.In * w * h];
            PixelConversion.ToNormalizedChw(image, channels.In, data);
            // with --size the output has that size; otherwise it is scaled back to the input's own size
            (int ow, int oh) = options.Size is null ? (width, height) : (w, h);
            return new Decoded(file, output, data, w, h, ow, oh, null);
        }
        catch (Exception ex) when (ex is BadImageException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return Decoded.Failed(file, ex is BadImageException bad ? bad.Reason : ex.Message);
        }
    }

    private void Flush(List<Decoded> pending, List<TranslateOutcome> outcomes, int total)
    {
        if (pending.Count == 0)
        {
            return;
        }

        if (pending.Count > 1 && Memory is { } m && m.Need(Padded(pending[0].Width, pending[0].Height) * pending.Count) > Budget())
        {
            // the batch would not fit; each image alone may
            foreach (Decoded item in pending)
            {
                FlushGroup([item], outcomes, total);
            }
        }
        else
        {
            FlushGroup([.. pending], outcomes, total);
        }

        pending.Clear();
    }

    private void FlushGroup(List<Decoded> group, List<TranslateOutcome> outcomes, int total)
    {
        int w = group[0].Width, h = group[0].Height;
        (int tw, int th) = (w, h);
        string? note = null;
        if (group.Count == 1 && Memory is { } m && m.Need(Padded(w, h)) > Budget())
        {
            long budget = Budget(), need = m.Need(Padded(w, h));
            string why = $"{w}x{h} would need about {AvailableMemory.Format((long)(need * Margin))} and {AvailableMemory.Format((long)(budget * Margin))} " +
                         (options.MemoryLimit is null ? "is available" : "is the --memory-limit");
            double scale = Math.Sqrt(m.MaxPixels(budget) / (double)Padded(w, h));
            (tw, th) = ((int)(w * scale), (int)(h * scale));
            while ((long)tw * th >= MinimumPixels && m.Need(Padded(tw, th)) > budget)
            {
                (tw, th) = (tw * 15 / 16, th * 15 / 16);
            }

            if ((long)tw * th < MinimumPixels)
            {
                outcomes.Add(new TranslateOutcome(group[0].Input, null,
                    $"not translated: {why}, too little even at 64x64; free memory, or use a machine with more"));
                Progress?.Invoke(outcomes.Count, total);
                return;
            }

            note = $"translated at {tw}x{th} and scaled to {group[0].OutputWidth}x{group[0].OutputHeight}: {why}";
        }

        float[][] results;
        int[] nonFinite;
        try
        {
            using var scope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            var batch = new float[group.Count * group[0].Data.Length];
            for (int i = 0; i < group.Count; i++)
            {
                group[i].Data.CopyTo(batch, i * group[0].Data.Length);
            }

            Tensor x = BatchTensors.ToTensor(new ImageBatch(batch, group.Count, channels.In, h, w, group.Select(p => p.Input).ToList()), device);
            if ((tw, th) != (w, h))
            {
                x = nn.functional.interpolate(x, [th, tw], mode: InterpolationMode.Bilinear, align_corners: false, antialias: true);
            }

            Tensor y = Translate(x);
            results = Enumerable.Range(0, group.Count)
                .Select(i => y[i].to(ScalarType.Float32).cpu().contiguous().data<float>().ToArray())
                .ToArray();
            nonFinite = results.Select(r => r.Count(v => !float.IsFinite(v))).ToArray();
        }
        catch (Exception ex) when (OutOfMemory.Is(ex))
        {
            if (group.Count > 1)
            {
                foreach (Decoded item in group)
                {
                    FlushGroup([item], outcomes, total);
                }

                return;
            }

            outcomes.Add(new TranslateOutcome(group[0].Input, null, $"out of memory translating it at {tw}x{th}: {OutOfMemory.Describe(ex)}"));
            Progress?.Invoke(outcomes.Count, total);
            return;
        }

        for (int i = 0; i < group.Count; i++)
        {
            Decoded item = group[i];
            if (nonFinite[i] > 0)
            {
                // a NaN becomes black in an 8-bit image: an output that looks like a picture but is none
                outcomes.Add(new TranslateOutcome(item.Input, null,
                    $"the generator's output has {nonFinite[i]} values that are not finite (NaN or infinite); nothing written"));
                Progress?.Invoke(outcomes.Count, total);
                continue;
            }

            try
            {
                using Image<Rgb24> image = PixelConversion.FromNormalizedChw(results[i], channels.Out, th, tw);
                if (image.Width != item.OutputWidth || image.Height != item.OutputHeight)
                {
                    image.Mutate(c => c.Resize(item.OutputWidth, item.OutputHeight, ImageTransform.Resampler));
                }

                if (options.Overwrite)
                {
                    ImageWriter.Save(image, item.Output!);
                }
                else if (!ImageWriter.SaveNew(image, item.Output!))
                {
                    // another writer (a second translate into this folder) took the name since it was checked
                    outcomes.Add(new TranslateOutcome(item.Input, null, $"{item.Output} exists (pass --overwrite to replace it)"));
                    Progress?.Invoke(outcomes.Count, total);
                    continue;
                }

                outcomes.Add(new TranslateOutcome(item.Input, item.Output, null, note));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException { ParamName: "value" })
            {
                // (the last: how .NET reports a file-size limit; a full disk is an IOException)
                outcomes.Add(new TranslateOutcome(item.Input, null, $"cannot write {item.Output}: {ex.Message}"));
            }

            Progress?.Invoke(outcomes.Count, total);
        }
    }

    /// <summary>Bytes the next forward pass may take: the --memory-limit, or what is available less a reserve;
    /// divided by the margin.</summary>
    private long Budget()
    {
        long bytes = options.MemoryLimit ?? Math.Max(0, MemoryGauge.Available() - Reserve);
        return (long)(bytes / Margin);
    }

    /// <summary>Pixels of the biggest forward pass the files will ask for (from their headers; unreadable ones are skipped).</summary>
    private long LargestForward(IReadOnlyList<string> files)
    {
        long largest = 0;
        foreach (string file in files)
        {
            try
            {
                var (w, h) = ImageDecoder.Identify(file);
                if (options.Size is { } side)
                {
                    (w, h) = (side, side);
                }

                long pixels = Math.Min(Padded(w, h), options.MaxPixels + (long)(w + h) * sideMultiple);
                largest = Math.Max(largest, pixels * Math.Min(options.Batch, files.Count));
            }
            catch (Exception ex) when (ex is BadImageException or IOException or UnauthorizedAccessException or NotSupportedException
                                           or SixLabors.ImageSharp.ImageFormatException)
            {
                // reported when it is decoded
            }
        }

        return largest;
    }

    private long Padded(int w, int h) =>
        Math.Max(PadTo(w, sideMultiple), 8) * Math.Max(PadTo(h, sideMultiple), 8);

    /// <summary>The generator on a batch of any size: padded by reflection to the network's multiple, then cropped back.</summary>
    public Tensor Translate(Tensor x) => Apply(generator, x, sideMultiple);

    /// <summary><paramref name="generator"/> on a batch of any size: padded by reflection to <paramref name="multiple"/>
    /// (and at least 8), then cropped back to the input's size.</summary>
    public static Tensor Apply(nn.Module<Tensor, Tensor> generator, Tensor x, int multiple)
    {
        long h = x.shape[2], w = x.shape[3];
        long ph = Math.Max(PadTo(h, multiple), 8), pw = Math.Max(PadTo(w, multiple), 8);
        if (ph == h && pw == w)
        {
            return generator.call(x);
        }

        long top = (ph - h) / 2, left = (pw - w) / 2;
        long[] pad = [left, pw - w - left, top, ph - h - top];
        // reflection needs the padding to be smaller than the side; tiny images are replicated instead
        PaddingModes mode = pad.Max() < Math.Min(h, w) ? PaddingModes.Reflect : PaddingModes.Replicate;
        Tensor padded = nn.functional.pad(x, pad, mode);
        Tensor y = generator.call(padded);
        return y[.., .., TensorIndex.Slice(top, top + h), TensorIndex.Slice(left, left + w)];
    }

    private static long PadTo(long side, int multiple) => (side + multiple - 1) / multiple * multiple;

    private static bool SameShape(Decoded a, Decoded b) => a.Width == b.Width && a.Height == b.Height;

    private sealed record Decoded(string Input, string? Output, float[] Data, int Width, int Height, int OutputWidth, int OutputHeight, string? Error)
    {
        public static Decoded Failed(string input, string error) => new(input, null, [], 0, 0, 0, 0, error);
    }
}
