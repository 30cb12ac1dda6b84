using System.Text.Json.Serialization;

namespace CycleGan.App.Config;

/// <summary>
/// A training run's whole configuration. Keys are the PyTorch reference's option names, grouped in sections;
/// every default equals the reference's (pytorch-CycleGAN-and-pix2pix, cycle_gan model, train phase).
/// </summary>
public sealed record CycleGanConfig
{
    [JsonPropertyName("name")]
    public string Name { get; init; } = "experiment_name";

    [JsonPropertyName("seed")]
    public int Seed { get; init; }

    [JsonPropertyName("device")]
    public string Device { get; init; } = "auto";

    [JsonPropertyName("data")]
    public DataConfig Data { get; init; } = new();

    [JsonPropertyName("model")]
    public ModelConfig Model { get; init; } = new();

    [JsonPropertyName("train")]
    public TrainConfig Train { get; init; } = new();

    [JsonPropertyName("output")]
    public OutputConfig Output { get; init; } = new();

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(Name) || Name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || Name is "." or "..")
        {
            yield return $"name: '{Name}' is not a valid run name (it becomes a folder name under runs/)";
        }

        if (Seed < 0)
        {
            yield return ConfigRules.Range("seed", Seed, "0 or more");
        }

        foreach (string e in Data.Validate().Concat(Model.Validate()).Concat(Train.Validate()).Concat(Output.Validate()))
        {
            yield return e;
        }

        if (Data.Preprocess.Contains("crop", StringComparison.Ordinal) && Data.CropSize > Data.LoadSize && Data.Preprocess != "crop")
        {
            yield return $"data.crop_size: {Data.CropSize} is larger than data.load_size {Data.LoadSize}; a crop cannot exceed the resized image";
        }

        if (Train.LambdaIdentity > 0 && Data.InputNc != Data.OutputNc)
        {
            yield return $"train.lambda_identity: {Train.LambdaIdentity} needs data.input_nc == data.output_nc (here {Data.InputNc} and {Data.OutputNc}): " +
                         "the identity loss feeds each generator images of its output domain; set train.lambda_identity=0";
        }
    }
}

public sealed record DataConfig
{
    /// <summary>Dataset root with trainA/trainB/testA/testB; "synth" means the built-in synthetic dataset, made on first use.</summary>
    [JsonPropertyName("dataroot")]
    public string DataRoot { get; init; } = "datasets/horse2zebra";

    [JsonPropertyName("direction")]
    public string Direction { get; init; } = "AtoB";

    [JsonPropertyName("input_nc")]
    public int InputNc { get; init; } = 3;

    [JsonPropertyName("output_nc")]
    public int OutputNc { get; init; } = 3;

    [JsonPropertyName("preprocess")]
    public string Preprocess { get; init; } = "resize_and_crop";

    [JsonPropertyName("load_size")]
    public int LoadSize { get; init; } = 286;

    [JsonPropertyName("crop_size")]
    public int CropSize { get; init; } = 256;

    [JsonPropertyName("no_flip")]
    public bool NoFlip { get; init; }

    [JsonPropertyName("serial_batches")]
    public bool SerialBatches { get; init; }

    [JsonPropertyName("num_threads")]
    public int NumThreads { get; init; } = 4;

    [JsonPropertyName("batch_size")]
    public int BatchSize { get; init; } = 1;

    /// <summary>null: no limit (the reference's float("inf")).</summary>
    [JsonPropertyName("max_dataset_size")]
    public int? MaxDatasetSize { get; init; }

    public static readonly string[] PreprocessModes = ["resize_and_crop", "crop", "scale_width", "scale_width_and_crop", "none"];

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(DataRoot))
        {
            yield return "data.dataroot: must name a dataset folder (or \"synth\")";
        }

        if (ConfigRules.OneOf("data.direction", Direction, Directions.Names) is { } d)
        {
            yield return d;
        }

        if (InputNc is not (1 or 3))
        {
            yield return ConfigRules.Range("data.input_nc", InputNc, "1 or 3");
        }

        if (OutputNc is not (1 or 3))
        {
            yield return ConfigRules.Range("data.output_nc", OutputNc, "1 or 3");
        }

        if (ConfigRules.OneOf("data.preprocess", Preprocess, PreprocessModes) is { } p)
        {
            yield return p;
        }

        if (LoadSize is < 4 or > 8192)
        {
            yield return ConfigRules.Range("data.load_size", LoadSize, "4 to 8192");
        }

        if (CropSize is < 4 or > 8192)
        {
            yield return ConfigRules.Range("data.crop_size", CropSize, "4 to 8192");
        }

        if (NumThreads is < 0 or > 64)
        {
            yield return ConfigRules.Range("data.num_threads", NumThreads, "0 to 64");
        }

        if (BatchSize is < 1 or > 4096)
        {
            yield return ConfigRules.Range("data.batch_size", BatchSize, "1 to 4096");
        }

        if (MaxDatasetSize is < 1)
        {
            yield return ConfigRules.Range("data.max_dataset_size", MaxDatasetSize.Value, "1 or more, or null for no limit");
        }
    }
}

public sealed record ModelConfig
{
    [JsonPropertyName("netG")]
    public string NetG { get; init; } = "resnet_9blocks";

    [JsonPropertyName("netD")]
    public string NetD { get; init; } = "basic";

    [JsonPropertyName("ngf")]
    public int Ngf { get; init; } = 64;

    [JsonPropertyName("ndf")]
    public int Ndf { get; init; } = 64;

    [JsonPropertyName("n_layers_D")]
    public int NLayersD { get; init; } = 3;

    [JsonPropertyName("norm")]
    public string Norm { get; init; } = "instance";

    /// <summary>The cycle_gan model turns dropout off in the generator by default.</summary>
    [JsonPropertyName("no_dropout")]
    public bool NoDropout { get; init; } = true;

    [JsonPropertyName("init_type")]
    public string InitType { get; init; } = "normal";

    [JsonPropertyName("init_gain")]
    public double InitGain { get; init; } = 0.02;

    public static readonly string[] Generators = ["resnet_9blocks", "resnet_6blocks", "unet_128", "unet_256"];
    public static readonly string[] Discriminators = ["basic", "n_layers", "pixel"];
    public static readonly string[] Norms = ["instance", "batch", "none"];
    public static readonly string[] InitTypes = ["normal", "xavier", "kaiming", "orthogonal"];

    public IEnumerable<string> Validate()
    {
        string?[] choices =
        [
            ConfigRules.OneOf("model.netG", NetG, Generators),
            ConfigRules.OneOf("model.netD", NetD, Discriminators),
            ConfigRules.OneOf("model.norm", Norm, Norms),
            ConfigRules.OneOf("model.init_type", InitType, InitTypes),
        ];
        foreach (string? c in choices)
        {
            if (c is not null)
            {
                yield return c;
            }
        }

        if (Ngf is < 1 or > 1024)
        {
            yield return ConfigRules.Range("model.ngf", Ngf, "1 to 1024");
        }

        if (Ndf is < 1 or > 1024)
        {
            yield return ConfigRules.Range("model.ndf", Ndf, "1 to 1024");
        }

        if (NLayersD is < 1 or > 8)
        {
            yield return ConfigRules.Range("model.n_layers_D", NLayersD, "1 to 8");
        }

        if (!(InitGain > 0 && InitGain <= 10))
        {
            yield return ConfigRules.Range("model.init_gain", InitGain, "greater than 0, at most 10");
        }
    }
}

public sealed record TrainConfig
{
    [JsonPropertyName("n_epochs")]
    public int NEpochs { get; init; } = 100;

    [JsonPropertyName("n_epochs_decay")]
    public int NEpochsDecay { get; init; } = 100;

    [JsonPropertyName("epoch_count")]
    public int EpochCount { get; init; } = 1;

    [JsonPropertyName("lr")]
    public double Lr { get; init; } = 0.0002;

    [JsonPropertyName("beta1")]
    public double Beta1 { get; init; } = 0.5;

    [JsonPropertyName("beta2")]
    public double Beta2 { get; init; } = 0.999;

    [JsonPropertyName("gan_mode")]
    public string GanMode { get; init; } = "lsgan";

    [JsonPropertyName("lambda_A")]
    public double LambdaA { get; init; } = 10.0;

    [JsonPropertyName("lambda_B")]
    public double LambdaB { get; init; } = 10.0;

    [JsonPropertyName("lambda_identity")]
    public double LambdaIdentity { get; init; } = 0.5;

    [JsonPropertyName("pool_size")]
    public int PoolSize { get; init; } = 50;

    [JsonPropertyName("lr_policy")]
    public string LrPolicy { get; init; } = "linear";

    [JsonPropertyName("lr_decay_iters")]
    public int LrDecayIters { get; init; } = 50;

    /// <summary>"fp32", or "bf16": convolutions compute in bfloat16, everything else in float32 (README, "bfloat16 convolutions").</summary>
    [JsonPropertyName("precision")]
    public string Precision { get; init; } = "fp32";

    public static readonly string[] Precisions = ["fp32", "bf16"];

    public static readonly string[] GanModes = ["lsgan", "vanilla", "wgangp"];
    public static readonly string[] LrPolicies = ["linear", "step", "plateau", "cosine"];

    public IEnumerable<string> Validate()
    {
        if (ConfigRules.OneOf("train.gan_mode", GanMode, GanModes) is { } g)
        {
            yield return g;
        }

        if (ConfigRules.OneOf("train.lr_policy", LrPolicy, LrPolicies) is { } l)
        {
            yield return l;
        }

        if (ConfigRules.OneOf("train.precision", Precision, Precisions) is { } precision)
        {
            yield return precision;
        }

        if (NEpochs < 0)
        {
            yield return ConfigRules.Range("train.n_epochs", NEpochs, "0 or more");
        }

        if (NEpochsDecay < 0)
        {
            yield return ConfigRules.Range("train.n_epochs_decay", NEpochsDecay, "0 or more");
        }

        if (NEpochs + NEpochsDecay < 1)
        {
            yield return $"train.n_epochs + train.n_epochs_decay: {NEpochs + NEpochsDecay} epochs; at least 1 is needed";
        }

        if (EpochCount < 1)
        {
            yield return ConfigRules.Range("train.epoch_count", EpochCount, "1 or more");
        }

        if (!(Lr > 0 && Lr <= 1))
        {
            yield return ConfigRules.Range("train.lr", Lr, "greater than 0, at most 1");
        }

        if (!(Beta1 >= 0 && Beta1 < 1))
        {
            yield return ConfigRules.Range("train.beta1", Beta1, "0 to 1 (excluded)");
        }

        if (!(Beta2 >= 0 && Beta2 < 1))
        {
            yield return ConfigRules.Range("train.beta2", Beta2, "0 to 1 (excluded)");
        }

        foreach (var (key, value) in new[] { ("train.lambda_A", LambdaA), ("train.lambda_B", LambdaB), ("train.lambda_identity", LambdaIdentity) })
        {
            if (!(value >= 0 && value <= 1e4))
            {
                yield return ConfigRules.Range(key, value, "0 to 10000");
            }
        }

        if (PoolSize is < 0 or > 100_000)
        {
            yield return ConfigRules.Range("train.pool_size", PoolSize, "0 (no pool) to 100000");
        }

        if (LrDecayIters < 1)
        {
            yield return ConfigRules.Range("train.lr_decay_iters", LrDecayIters, "1 or more");
        }
    }
}

public sealed record OutputConfig
{
    [JsonPropertyName("runs_dir")]
    public string RunsDir { get; init; } = "runs";

    [JsonPropertyName("display_freq")]
    public int DisplayFreq { get; init; } = 400;

    [JsonPropertyName("print_freq")]
    public int PrintFreq { get; init; } = 100;

    [JsonPropertyName("save_latest_freq")]
    public int SaveLatestFreq { get; init; } = 5000;

    [JsonPropertyName("save_epoch_freq")]
    public int SaveEpochFreq { get; init; } = 5;

    /// <summary>How many epoch checkpoints to keep (the latest is always kept); 0 keeps all.</summary>
    [JsonPropertyName("keep_last")]
    public int KeepLast { get; init; } = 5;

    /// <summary>Whether the run writes TensorBoard event files (runs/NAME/tensorboard/).</summary>
    [JsonPropertyName("tensorboard")]
    public bool TensorBoard { get; init; } = true;

    /// <summary>Every this many epochs, FID and KID on the test images (0: never); needs inception_weights.</summary>
    [JsonPropertyName("eval_freq")]
    public int EvalFreq { get; init; }

    /// <summary>The FID Inception weights file (pt_inception-2015-12-05-6726825d.pth); CYCLEGAN_INCEPTION_WEIGHTS also names it.</summary>
    [JsonPropertyName("inception_weights")]
    public string? InceptionWeights { get; init; }

    /// <summary>Test images per domain that the scores during training use, at most.</summary>
    [JsonPropertyName("eval_how_many")]
    public int EvalHowMany { get; init; } = 1000;

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(RunsDir))
        {
            yield return "output.runs_dir: must name a folder";
        }

        foreach (var (key, value) in new[]
                 {
                     ("output.display_freq", DisplayFreq), ("output.print_freq", PrintFreq),
                     ("output.save_latest_freq", SaveLatestFreq), ("output.save_epoch_freq", SaveEpochFreq),
                 })
        {
            if (value < 1)
            {
                yield return ConfigRules.Range(key, value, "1 or more");
            }
        }

        if (KeepLast < 0)
        {
            yield return ConfigRules.Range("output.keep_last", KeepLast, "0 (keep all) or more");
        }

        if (EvalFreq < 0)
        {
            yield return ConfigRules.Range("output.eval_freq", EvalFreq, "0 (never) or more");
        }

        if (EvalHowMany < 2)
        {
            yield return ConfigRules.Range("output.eval_how_many", EvalHowMany, "2 or more");
        }
    }
}
