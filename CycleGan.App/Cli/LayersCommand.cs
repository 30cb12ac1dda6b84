using System.CommandLine;
using CycleGan.App.Verification.Catalogue;

namespace CycleGan.App.Cli;

/// <summary>`cyclegan layers`: prints the layer catalogue (how each layer is built and which kernel checks it).</summary>
public static class LayersCommand
{
    public static Command Create()
    {
        var command = new Command("layers", "Print the layer catalogue: each layer, its TorchSharp construction and its reference kernel.");
        command.SetAction(_ =>
        {
            Console.Out.Write(Format(LayerCatalogue.Entries));
            if (LayerCatalogue.Missing.Count > 0)
            {
                Console.Error.WriteLine($"error: catalogue entries missing: {string.Join(", ", LayerCatalogue.Missing)}");
                return 1;
            }

            return 0;
        });
        return command;
    }

    public static string Format(IReadOnlyList<LayerEntry> entries)
    {
        var writer = new StringWriter();
        int nameWidth = Math.Max(5, entries.Max(e => e.Name.Length));
        int kernelWidth = Math.Max(16, entries.Max(e => e.ReferenceKernel.Length));
        writer.WriteLine($"{"layer".PadRight(nameWidth)}  {"reference kernel".PadRight(kernelWidth)}  grad  construction / parameters");
        foreach (LayerEntry e in entries)
        {
            writer.WriteLine($"{e.Name.PadRight(nameWidth)}  {e.ReferenceKernel.PadRight(kernelWidth)}  {(e.Differentiable ? "yes " : "no  ")}  {e.Construction}");
            writer.WriteLine($"{string.Empty.PadRight(nameWidth + kernelWidth + 10)}  params: {e.Parameters}");
        }

        writer.WriteLine($"{entries.Count} layers.");
        return writer.ToString();
    }
}
