using System.Text.Json.Nodes;

namespace CycleGan.App.Config;

/// <summary>One leaf setting whose value differs between two configs, by section.key, in JSON spelling.</summary>
public sealed record ConfigDifference(string Key, string Stored, string Now);

public static class ConfigDifferences
{
    /// <summary>Every leaf setting whose value differs between <paramref name="stored"/> and <paramref name="now"/>.</summary>
    public static IReadOnlyList<ConfigDifference> Between(CycleGanConfig stored, CycleGanConfig now)
    {
        var result = new List<ConfigDifference>();
        Compare(JsonNode.Parse(ConfigLoader.Serialize(stored))!.AsObject(), JsonNode.Parse(ConfigLoader.Serialize(now))!.AsObject(), string.Empty, result);
        return result;
    }

    private static void Compare(JsonObject a, JsonObject b, string prefix, List<ConfigDifference> result)
    {
        foreach (var (key, value) in a)
        {
            string path = prefix + key;
            JsonNode? other = b[key];
            if (value is JsonObject ao && other is JsonObject bo)
            {
                Compare(ao, bo, path + ".", result);
            }
            else if (!JsonNode.DeepEquals(value, other))
            {
                result.Add(new(path, Spelled(value), Spelled(other)));
            }
        }
    }

    private static string Spelled(JsonNode? value) => value?.ToJsonString(ConfigLoader.JsonOptions) ?? "null";
}
