using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CycleGan.App.Config;

/// <summary>
/// Checks each setting's value against its type one by one, before the whole config is read, so that every wrongly
/// typed value is reported (not only the first, which is all the serializer reports) in the config's own words: the
/// key, the value given, what is allowed, and where it came from. The wrong values are then removed, so that the
/// range checks of the other settings still run.
/// </summary>
public static class ConfigValues
{
    /// <summary>Problems of <paramref name="node"/>'s values (a section of <paramref name="type"/>); each bad value is
    /// removed from the node.</summary>
    public static void Check(JsonObject node, Type type, string prefix, Func<string, string> origin, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(errors);
        var nullability = new NullabilityInfoContext();
        foreach (var (key, value) in node.ToList())
        {
            PropertyInfo? property = ConfigLoader.FindProperty(type, key);
            string path = prefix.Length == 0 ? key : prefix + "." + key;
            if (property is null)
            {
                continue; // reported as an unknown key
            }

            if (ConfigLoader.IsSection(property.PropertyType))
            {
                if (value is JsonObject section)
                {
                    Check(section, property.PropertyType, path, origin, errors);
                }

                continue;
            }

            bool fits = value is null
                ? nullability.Create(property).WriteState == NullabilityState.Nullable
                : Fits(value, property.PropertyType);
            if (!fits)
            {
                errors.Add($"{path}: {Given(value)} is not {Expected(property.PropertyType, nullability.Create(property))} ({origin(path)})");
                node.Remove(key);
            }
        }
    }

    /// <summary>"train.lr" for "--set train.lr=0.1"; null when the assignment has no key.</summary>
    public static string? OverrideKey(string assignment)
    {
        int eq = assignment.IndexOf('=', StringComparison.Ordinal);
        return eq <= 0 ? null : assignment[..eq].Trim();
    }

    /// <summary>The key that a problem message names (messages start "key: ").</summary>
    public static string KeyOf(string problem)
    {
        int colon = problem.IndexOf(": ", StringComparison.Ordinal);
        return colon > 0 ? problem[..colon] : problem;
    }

    private static bool Fits(JsonNode value, Type type)
    {
        try
        {
            _ = value.Deserialize(type, ConfigLoader.JsonOptions);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Given(JsonNode? value) => value switch
    {
        null => "null",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => $"'{v.GetValue<string>()}'",
        JsonArray => "an array",
        JsonObject => "a section { ... }",
        _ => value.ToJsonString(),
    };

    private static string Expected(Type type, NullabilityInfo info)
    {
        Type bare = Nullable.GetUnderlyingType(type) ?? type;
        string what = bare == typeof(int) || bare == typeof(long) ? "a whole number"
            : bare == typeof(double) || bare == typeof(float) ? "a number"
            : bare == typeof(bool) ? "true or false"
            : bare == typeof(string) ? "a string"
            : bare.Name;
        return info.WriteState == NullabilityState.Nullable || Nullable.GetUnderlyingType(type) is not null ? what + " or null" : what;
    }
}
