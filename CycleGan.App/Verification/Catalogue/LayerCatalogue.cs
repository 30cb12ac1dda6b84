using System.Diagnostics;

namespace CycleGan.App.Verification.Catalogue;

/// <summary>The one place that knows every catalogued layer, its TorchSharp construction and its reference kernel.</summary>
public static class LayerCatalogue
{
    /// <summary>The layer catalogue of the design, in its order: the source document's layers, then the generator's.</summary>
    public static readonly IReadOnlyList<string> Order =
    [
        "Conv2d", "MaxPool2d", "AvgPool2d", "AdaptiveMaxPool2d", "AdaptiveAvgPool2d",
        "Sigmoid", "Tanh", "ReLU", "LeakyReLU", "ReLU6", "GELU", "SELU", "Softmax",
        "BatchNorm2d", "Linear", "Dropout", "Dropout2d", "L1Loss", "MSELoss", "CrossEntropyLoss",
        "ConvTranspose2d", "InstanceNorm2d", "ReflectionPad2d", "Identity",
    ];

    private static readonly Lazy<IReadOnlyList<LayerEntry>> Discovered = new(Discover);

    /// <summary>Every entry, in catalogue order.</summary>
    public static IReadOnlyList<LayerEntry> Entries => Discovered.Value;

    /// <summary>Names in <see cref="Order"/> that have no entry (an incomplete build of the catalogue).</summary>
    public static IReadOnlyList<string> Missing => Order.Where(n => Entries.All(e => e.Name != n)).ToList();

    public static LayerEntry Get(string name) =>
        Entries.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException(
            $"'{name}' is not a catalogued layer; the catalogue has: {string.Join(", ", Entries.Select(e => e.Name))}", nameof(name));

    /// <summary>
    /// Runs every case of the selected layers (all when <paramref name="layers"/> is empty), reporting each outcome
    /// as it completes. An exception inside a case is a failed outcome naming it, never a crash.
    /// </summary>
    public static IReadOnlyList<CheckOutcome> Verify(torch.Device device, torch.ScalarType dtype, int seed,
        IReadOnlyCollection<string>? layers = null, Action<CheckOutcome>? progress = null)
    {
        IEnumerable<LayerEntry> selected = layers is { Count: > 0 } ? layers.Select(Get) : Entries;
        var outcomes = new List<CheckOutcome>();
        string dtypeName = dtype.ToString().ToLowerInvariant();
        foreach (LayerEntry entry in selected)
        {
            foreach (CheckCase c in entry.Cases(seed).SelectMany(LayoutVariants))
            {
                CheckOutcome outcome;
                try
                {
                    outcome = new CheckOutcome(entry.Name, c.Name, dtypeName, c.Run(device, dtype));
                }
                catch (Exception ex)
                {
                    outcome = new CheckOutcome(entry.Name, c.Name, dtypeName, [], $"{ex.GetType().Name}: {ex.Message}");
                }

                outcomes.Add(outcome);
                progress?.Invoke(outcome);
            }
        }

        return outcomes;
    }

    /// <summary>Every case with 4-D inputs runs in each layout too: a layer must not care how its tensors are strided.</summary>
    private static IEnumerable<CheckCase> LayoutVariants(CheckCase c) => c is ModuleCheck { HasImageInputs: true } m
        ? Enum.GetValues<CheckLayout>().Select(m.In)
        : [c];

    private static IReadOnlyList<LayerEntry> Discover()
    {
        var entries = typeof(LayerCatalogue).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(LayerEntry)) && !t.IsAbstract && t.GetConstructor(Type.EmptyTypes) is not null)
            .Select(t => (LayerEntry)Activator.CreateInstance(t)!)
            .ToList();
        var unknown = entries.Where(e => !Order.Contains(e.Name)).Select(e => e.Name).ToList();
        Debug.Assert(unknown.Count == 0, $"entries outside the catalogue order: {string.Join(", ", unknown)}");
        return entries.OrderBy(e => Order.IndexOf(e.Name) is var i && i < 0 ? int.MaxValue : i).ToList();
    }

    private static int IndexOf(this IReadOnlyList<string> list, string value)
    {
        for (int i = 0; i < list.Count; i++)
        {
            if (list[i] == value)
            {
                return i;
            }
        }

        return -1;
    }
}
