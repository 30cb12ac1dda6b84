using System.CommandLine;

namespace CycleGan.App.Cli;

/// <summary>
/// Options that name one file (a checkpoint, an ONNX model, weights), on every command that has them: a folder given
/// there is refused at parse time as a folder, not reported later as a file that "does not exist".
/// </summary>
public static class FileOptions
{
    /// <summary>Option name to what the file is, and what to give for a folder instead.</summary>
    public static readonly IReadOnlyDictionary<string, string> Table = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["--checkpoint"] = "a checkpoint file (.ckpt), e.g. runs/NAME/checkpoints/latest.ckpt; for a run folder use --run",
        ["--model"] = "an ONNX model file (.onnx) made by cyclegan export --format onnx",
        ["--weights"] = "a .pth weights file",
        ["--inception-weights"] = "the FID Inception weights file (a .pth)",
    };

    /// <summary>Adds the folder check to every option of <see cref="Table"/> under <paramref name="command"/>.</summary>
    public static void Apply(Command command)
    {
        foreach (Command sub in command.Subcommands)
        {
            foreach (Option option in sub.Options.Where(o => Table.ContainsKey(o.Name) && o.ValueType == typeof(string)))
            {
                option.Validators.Add(result =>
                {
                    if (result.GetValueOrDefault<string?>() is { } path && Directory.Exists(path))
                    {
                        result.AddError($"{option.Name} {path} is a folder; expected {Table[option.Name]}");
                    }
                });
            }

            Apply(sub);
        }
    }
}
