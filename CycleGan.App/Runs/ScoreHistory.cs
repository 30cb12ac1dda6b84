using System.Text.Json;
using System.Text.Json.Serialization;

namespace CycleGan.App.Runs;

/// <summary>The scores of one evaluated epoch.</summary>
public sealed record EpochScores(
    [property: JsonPropertyName("epoch")] int Epoch,
    [property: JsonPropertyName("iteration")] long Iteration,
    [property: JsonPropertyName("scores")] IReadOnlyList<DistributionScore> Scores)
{
    /// <summary>What "best" minimises: the FID summed over both directions where every direction has one, else the
    /// KID summed; null when neither is there.</summary>
    [JsonIgnore]
    public (string Metric, double Value)? Criterion =>
        Scores.Count > 0 && Scores.All(s => s.Fid is not null) ? ("FID", Scores.Sum(s => s.Fid!.Value))
        : Scores.Count > 0 && Scores.All(s => s.Kid is not null) ? ("KID", Scores.Sum(s => s.Kid!.Value))
        : null;
}

/// <summary>runs/NAME/scores.json: every evaluated epoch's FID/KID and the best epoch, rewritten atomically.</summary>
public sealed record ScoreHistory(
    [property: JsonPropertyName("epochs")] IReadOnlyList<EpochScores> Epochs,
    [property: JsonPropertyName("best_epoch")] int? BestEpoch,
    [property: JsonPropertyName("best_by")] string? BestBy)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Encoder = Config.PlainJson.Encoder,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static ScoreHistory Empty { get; } = new([], null, null);

    public static ScoreHistory Load(string path)
    {
        if (!File.Exists(path))
        {
            return Empty;
        }

        try
        {
            return JsonSerializer.Deserialize<ScoreHistory>(File.ReadAllText(path), Json) ?? Empty;
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"scores file {path} is not valid: {ex.Message}", ex);
        }
    }

    public void Save(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Json));

    /// <summary>The history with <paramref name="scores"/> in place of any earlier scores of its epoch or later ones
    /// (a resume from an earlier checkpoint replays them), and the best epoch recomputed. Epochs scored by another
    /// metric than the newest (FID where it became computable) do not compete.</summary>
    public ScoreHistory With(EpochScores scores)
    {
        var epochs = Epochs.Where(e => e.Epoch < scores.Epoch).Append(scores).ToList();
        string? metric = scores.Criterion?.Metric;
        var best = epochs.Where(e => e.Criterion?.Metric == metric && metric is not null)
            .OrderBy(e => e.Criterion!.Value.Value).ThenBy(e => e.Epoch).FirstOrDefault();
        return new ScoreHistory(epochs, best?.Epoch, best is null ? null : metric);
    }
}
