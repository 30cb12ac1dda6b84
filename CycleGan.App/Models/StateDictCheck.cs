namespace CycleGan.App.Models;

/// <summary>
/// Whether stored weights fit a network: every parameter and buffer present by name, of the network's shape and
/// element type, nothing unexpected, and every floating-point value finite. Checkpoints, .pth and safetensors files
/// are all checked by these two functions before a network runs with them.
/// </summary>
public static class StateDictCheck
{
    /// <summary>Each difference between the network and the stored tensors, in words (empty: they fit).</summary>
    public static IReadOnlyList<string> Differences(nn.Module network, IEnumerable<(string Name, ScalarType Type, long[] Shape)> stored)
    {
        ArgumentNullException.ThrowIfNull(network);
        var target = network.state_dict();
        var byName = new Dictionary<string, (ScalarType Type, long[] Shape)>(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var (name, type, shape) in stored)
        {
            if (!byName.TryAdd(name, (type, shape)))
            {
                problems.Add($"{name} stored twice");
            }
        }

        foreach (var (name, tensor) in target)
        {
            if (!byName.TryGetValue(name, out var s))
            {
                problems.Add($"missing {name} {Text(tensor.shape)}");
            }
            else if (!s.Shape.SequenceEqual(tensor.shape))
            {
                problems.Add($"{name}: stored {Text(s.Shape)}, network {Text(tensor.shape)}");
            }
            else if (s.Type != tensor.dtype)
            {
                problems.Add($"{name}: stored {s.Type}, network {tensor.dtype}");
            }
        }

        problems.AddRange(byName.Where(s => !target.ContainsKey(s.Key)).Select(s => $"unexpected {s.Key} {Text(s.Value.Shape)}"));
        return problems;
    }

    /// <summary>The tensors holding NaN or infinite values, each with how many (empty: all finite).</summary>
    public static IReadOnlyList<string> NonFinite(IEnumerable<(string Name, Tensor Value)> tensors)
    {
        var problems = new List<string>();
        foreach (var (name, value) in tensors)
        {
            if (!value.is_floating_point())
            {
                continue;
            }

            using var scope = NewDisposeScope();
            long nan = value.isnan().sum().item<long>();
            long inf = value.isinf().sum().item<long>();
            if (nan + inf > 0)
            {
                problems.Add($"{name} ({nan} NaN, {inf} infinite of {value.numel()})");
            }
        }

        return problems;
    }

    /// <summary>At most <paramref name="shown"/> problems joined, and how many more.</summary>
    public static string List(IReadOnlyList<string> problems, int shown = 12) =>
        string.Join("; ", problems.Take(shown)) + (problems.Count > shown ? $"; and {problems.Count - shown} more" : string.Empty);

    public static string Text(long[] shape) => "[" + string.Join(", ", shape) + "]";
}
