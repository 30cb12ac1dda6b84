using System.Text.Json;
using System.Text.Json.Serialization;
using CycleGan.Data.Datasets;

namespace CycleGan.App.Runs;

/// <summary>
/// Where a run stands, as a checkpoint stores it: everything besides tensors that the next iteration depends on, so
/// that a resumed run draws the same batches, pool decisions and learning rates as an uninterrupted one.
/// </summary>
public sealed record TrainingState
{
    /// <summary>The epoch the next iteration belongs to (counting from 1); past the last epoch when the run is finished.</summary>
    [JsonPropertyName("epoch")]
    public int Epoch { get; init; } = 1;

    /// <summary>Iterations done within <see cref="Epoch"/>.</summary>
    [JsonPropertyName("epoch_iteration")]
    public int EpochIteration { get; init; }

    /// <summary>Iterations done since the run began (the TensorBoard step).</summary>
    [JsonPropertyName("iteration")]
    public long Iteration { get; init; }

    /// <summary>The next batch's place in the dataset's deterministic stream.</summary>
    [JsonPropertyName("data_position")]
    public DatasetPosition Position { get; init; } = DatasetPosition.StartOf(1);

    /// <summary>State of the generator behind the image pools' coin flips.</summary>
    [JsonPropertyName("pool_random")]
    public ulong[] PoolRandom { get; init; } = [];

    /// <summary>The plateau policy's multiplier, best monitored loss (null: none yet) and epochs without improvement.</summary>
    [JsonPropertyName("plateau_factor")]
    public double PlateauFactor { get; init; } = 1.0;

    [JsonPropertyName("plateau_best")]
    public double? PlateauBest { get; init; }

    [JsonPropertyName("plateau_bad_epochs")]
    public int PlateauBadEpochs { get; init; }

    /// <summary>Sum of the generators' total loss over this epoch's iterations so far (the plateau policy's monitor).</summary>
    [JsonPropertyName("epoch_loss_sum")]
    public double EpochLossSum { get; init; }

    /// <summary>Seconds spent training, over all sessions of the run.</summary>
    [JsonPropertyName("train_seconds")]
    public double TrainSeconds { get; init; }

    /// <summary>The losses of the last iteration, by name (for reports).</summary>
    [JsonPropertyName("last_losses")]
    public Dictionary<string, double> LastLosses { get; init; } = [];

    public string ToJson() => JsonSerializer.Serialize(this, Options);

    public static TrainingState FromJson(string json, string what) =>
        JsonSerializer.Deserialize<TrainingState>(json, Options) ?? throw new InvalidDataException($"{what}: empty training state");

    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true, Encoder = Config.PlainJson.Encoder };
}
