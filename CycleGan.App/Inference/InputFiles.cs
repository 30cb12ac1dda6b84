using CycleGan.Data.Imaging;

namespace CycleGan.App.Inference;

/// <summary>The command line's inputs as a list of files: files as given, folders as the image files directly in
/// them (sorted), and globs (* and ? in the last part of a path) as their matching files. Inputs that match nothing
/// are reported, not fatal.</summary>
public static class InputFiles
{
    public static (IReadOnlyList<string> Files, IReadOnlyList<string> Problems) Expand(IEnumerable<string> inputs)
    {
        var files = new List<string>();
        var problems = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Add(string f)
        {
            string full = Path.GetFullPath(f);
            if (seen.Add(full))
            {
                files.Add(full);
            }
        }

        foreach (string input in inputs)
        {
            if (File.Exists(input))
            {
                Add(input);
            }
            else if (Directory.Exists(input))
            {
                var images = Directory.EnumerateFiles(input).Where(ImageDecoder.HasImageExtension).Order(StringComparer.Ordinal).ToList();
                if (images.Count == 0)
                {
                    problems.Add($"{input}: folder holds no image files ({string.Join(", ", ImageDecoder.Extensions.Order())})");
                }

                images.ForEach(Add);
            }
            else if (input.IndexOfAny(['*', '?']) >= 0)
            {
                string folder = Path.GetDirectoryName(input) is { Length: > 0 } d ? d : ".";
                string pattern = Path.GetFileName(input);
                var matches = Directory.Exists(folder) && folder.IndexOfAny(['*', '?']) < 0
                    ? Directory.EnumerateFiles(folder, pattern).Order(StringComparer.Ordinal).ToList()
                    : [];
                if (matches.Count == 0)
                {
                    problems.Add($"{input}: matches no file (wildcards work in the file name only)");
                }

                matches.ForEach(Add);
            }
            else
            {
                problems.Add($"{input}: no such file or folder");
            }
        }

        return (files, problems);
    }
}
