namespace CycleGan.App.Inference;

/// <summary>
/// Names for the outputs of many inputs written into one folder, so that no output of a run replaces another:
/// photo.jpg becomes photo{suffix}{ext}; inputs whose names would collide (compared ignoring case, as some file
/// systems do) keep their source extension, photo_jpg{suffix}{ext} and photo_png{suffix}{ext}; inputs that still
/// collide (the same file name in different folders) also keep their folder, as a sub-folder relative to the folder
/// those inputs share: a/photo_jpg{suffix}{ext} and b/photo_jpg{suffix}{ext}. The rule depends on the set of inputs,
/// not their order.
/// </summary>
public static class OutputNames
{
    /// <summary>Each input's output path relative to the output folder ('/'-separated), or, for the rare input whose
    /// name still equals another's (photo_jpg.png beside photo.jpg and photo.png), null and the reason.</summary>
    public static IReadOnlyList<(string Input, string? Name, string? Error)> Assign(IReadOnlyList<string> inputs, string suffix, string extension)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var names = new string[inputs.Count];
        string Plain(int i) => Path.GetFileNameWithoutExtension(inputs[i]) + suffix + extension;
        string WithExtension(int i) =>
            Path.GetFileNameWithoutExtension(inputs[i]) + "_" + Path.GetExtension(inputs[i]).TrimStart('.') + suffix + extension;

        foreach (var group in Enumerable.Range(0, inputs.Count).GroupBy(Plain, StringComparer.OrdinalIgnoreCase))
        {
            if (group.Count() == 1)
            {
                names[group.First()] = group.Key;
                continue;
            }

            foreach (var sub in group.GroupBy(WithExtension, StringComparer.OrdinalIgnoreCase))
            {
                if (sub.Count() == 1)
                {
                    names[sub.First()] = sub.Key;
                    continue;
                }

                string common = CommonFolder(sub.Select(i => Path.GetDirectoryName(Path.GetFullPath(inputs[i]))!).ToList());
                foreach (int i in sub)
                {
                    string folder = Path.GetRelativePath(common, Path.GetDirectoryName(Path.GetFullPath(inputs[i]))!);
                    names[i] = (folder == "." ? string.Empty : folder.Replace(Path.DirectorySeparatorChar, '/') + "/") + sub.Key;
                }
            }
        }

        var claimed = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var result = new List<(string, string?, string?)>(inputs.Count);
        for (int i = 0; i < inputs.Count; i++)
        {
            if (claimed.TryGetValue(names[i], out int first))
            {
                result.Add((inputs[i], null, $"its output name {names[i]} is also that of {inputs[first]}; rename one of them"));
            }
            else
            {
                claimed[names[i]] = i;
                result.Add((inputs[i], names[i], null));
            }
        }

        return result;
    }

    /// <summary>The deepest folder that holds all of <paramref name="folders"/> (full paths).</summary>
    private static string CommonFolder(IReadOnlyList<string> folders)
    {
        string common = folders[0];
        foreach (string folder in folders.Skip(1))
        {
            while (!IsWithin(folder, common))
            {
                common = Path.GetDirectoryName(common) ?? Path.GetPathRoot(common)!;
            }
        }

        return common;
    }

    private static bool IsWithin(string folder, string ancestor) =>
        folder == ancestor || folder.StartsWith(Path.TrimEndingDirectorySeparator(ancestor) + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                           || ancestor == Path.GetPathRoot(ancestor);
}
