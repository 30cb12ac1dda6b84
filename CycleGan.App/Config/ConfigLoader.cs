using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace CycleGan.App.Config;

/// <summary>
/// Reads a config: resolves its path (a bare name resolves in configs/), applies `section.key=value` overrides,
/// rejects unknown keys (suggesting the closest known one) and wrongly typed values (naming the key), then validates
/// the ranges. Every problem of a config is reported at once.
/// </summary>
public static class ConfigLoader
{
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        Encoder = PlainJson.Encoder,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Finds a config by path, or by bare name (with or without .json) in ./configs or the repository's configs/.</summary>
    public static string ResolvePath(string nameOrPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nameOrPath);
        if (File.Exists(nameOrPath))
        {
            return Path.GetFullPath(nameOrPath);
        }

        string file = nameOrPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? nameOrPath : nameOrPath + ".json";
        var folders = new List<string> { Path.Combine(Directory.GetCurrentDirectory(), "configs") };
        if (FindRepositoryConfigs() is { } repoConfigs)
        {
            folders.Add(repoConfigs);
        }

        foreach (string folder in folders)
        {
            string candidate = Path.Combine(folder, Path.GetFileName(file));
            if (!Path.IsPathRooted(nameOrPath) && File.Exists(candidate))
            {
                return candidate;
            }
        }

        var known = folders.Where(Directory.Exists).SelectMany(f => Directory.EnumerateFiles(f, "*.json"))
            .Select(Path.GetFileNameWithoutExtension).OfType<string>().Distinct().Order().ToList();
        throw new ConfigException(
            $"config '{nameOrPath}' not found (looked for the file and in {string.Join(", ", folders.Distinct())})" +
            (known.Count > 0 ? $"; known configs: {string.Join(", ", known)}" : string.Empty));
    }

    public static CycleGanConfig Load(string nameOrPath, IEnumerable<string>? overrides = null)
    {
        string path = ResolvePath(nameOrPath);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"config {path}: cannot be read: {ex.Message}");
        }

        return Parse(text, path, overrides);
    }

    public static CycleGanConfig Parse(string json, string source, IEnumerable<string>? overrides = null)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new ConfigException($"config {source}: not valid JSON: {ex.Message}");
        }

        if (root is not JsonObject rootObject)
        {
            throw new ConfigException($"config {source}: the top level must be a JSON object {{ ... }}");
        }

        var errors = new List<string>();
        var overridden = new HashSet<string>(StringComparer.Ordinal);
        foreach (string assignment in overrides ?? [])
        {
            try
            {
                ApplyOverride(rootObject, assignment);
                overridden.Add(ConfigValues.OverrideKey(assignment)!);
            }
            catch (ConfigException ex)
            {
                errors.Add(ex.Message);
            }
        }

        string Origin(string key) => overridden.Contains(key) ? "from --set" : "from the file";
        var keyErrors = new List<string>();
        CheckKeys(rootObject, typeof(CycleGanConfig), string.Empty, keyErrors);
        errors.AddRange(keyErrors);
        ConfigValues.Check(rootObject, typeof(CycleGanConfig), string.Empty, Origin, errors);
        if (keyErrors.Count == 0)
        {
            CycleGanConfig? config = null;
            try
            {
                config = rootObject.Deserialize<CycleGanConfig>(JsonOptions);
            }
            catch (JsonException ex)
            {
                errors.Add(DescribeJsonError(ex));
            }

            if (config is not null)
            {
                errors.AddRange(config.Validate().Select(e => $"{e} ({Origin(ConfigValues.KeyOf(e))})"));
                if (errors.Count == 0)
                {
                    return config;
                }
            }
        }

        throw new ConfigException($"config {source} has {errors.Count} problem(s):\n  " + string.Join("\n  ", errors));
    }

    public static string Serialize(CycleGanConfig config) => JsonSerializer.Serialize(config, JsonOptions);

    /// <summary>Applies "section.key=value"; the value is read as JSON when it parses (numbers, true/false, null), else as a string.</summary>
    public static void ApplyOverride(JsonObject root, string assignment)
    {
        int eq = assignment.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0)
        {
            throw new ConfigException($"--set '{assignment}': expected section.key=value, e.g. train.lr=0.0001");
        }

        string[] path = assignment[..eq].Trim().Split('.');
        string raw = assignment[(eq + 1)..].Trim();
        JsonNode? value;
        try
        {
            value = JsonNode.Parse(raw);
        }
        catch (JsonException)
        {
            value = JsonValue.Create(raw);
        }

        JsonObject target = root;
        Type type = typeof(CycleGanConfig);
        for (int i = 0; i < path.Length; i++)
        {
            string key = path[i];
            PropertyInfo? property = FindProperty(type, key);
            if (property is null)
            {
                string prefix = string.Join('.', path[..i]);
                throw new ConfigException($"--set '{assignment}': {Unknown(prefix, key, type)}");
            }

            if (i == path.Length - 1)
            {
                target[key] = value;
                break;
            }

            if (!IsSection(property.PropertyType))
            {
                throw new ConfigException($"--set '{assignment}': '{string.Join('.', path[..(i + 1)])}' is a value, not a section");
            }

            if (target[key] is not JsonObject child)
            {
                child = new JsonObject();
                target[key] = child;
            }

            target = child;
            type = property.PropertyType;
        }
    }

    private static void CheckKeys(JsonObject node, Type type, string prefix, List<string> errors)
    {
        foreach (var (key, value) in node)
        {
            PropertyInfo? property = FindProperty(type, key);
            if (property is null)
            {
                errors.Add(Unknown(prefix, key, type));
                continue;
            }

            if (IsSection(property.PropertyType))
            {
                if (value is JsonObject child)
                {
                    CheckKeys(child, property.PropertyType, Join(prefix, key), errors);
                }
                else
                {
                    errors.Add($"{Join(prefix, key)}: must be a section {{ ... }}, got {Describe(value)}");
                }
            }
        }
    }

    private static string Unknown(string prefix, string key, Type type)
    {
        var known = KnownKeys(type).ToList();
        string? near = ConfigRules.Closest(key, known);
        return $"{Join(prefix, key)}: unknown key" + (near is null ? string.Empty : $" (did you mean '{Join(prefix, near)}'?)") +
               $"; known keys{(prefix.Length > 0 ? " in " + prefix : string.Empty)}: {string.Join(", ", known)}";
    }

    private static string DescribeJsonError(JsonException ex)
    {
        // System.Text.Json paths look like "$.train.lr"; the message names the type it wanted.
        string key = ex.Path is { Length: > 2 } p ? p[2..] : "(top level)";
        string detail = ex.Message;
        int cut = detail.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut > 0)
        {
            detail = detail[..cut];
        }

        return $"{key}: wrong type or value ({detail})";
    }

    private static string Describe(JsonNode? value) => value switch
    {
        null => "null",
        JsonArray => "an array",
        JsonValue v => v.GetValueKind().ToString().ToLowerInvariant() + " " + v.ToJsonString(),
        _ => value.ToJsonString(),
    };

    internal static bool IsSection(Type type) => type.IsClass && type != typeof(string);

    private static string Join(string prefix, string key) => prefix.Length == 0 ? key : prefix + "." + key;

    private static IEnumerable<string> KnownKeys(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name)
            .OfType<string>();

    internal static PropertyInfo? FindProperty(Type type, string key) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .FirstOrDefault(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name == key);

    private static string? FindRepositoryConfigs()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CycleGan.sln")) && Directory.Exists(Path.Combine(dir.FullName, "configs")))
            {
                return Path.Combine(dir.FullName, "configs");
            }
        }

        return null;
    }
}
