namespace CycleGan.Tests;

/// <summary>The repository's root folder (the one with CycleGan.sln), from the test binaries' folder.</summary>
public static class Repository
{
    public static string Root
    {
        get
        {
            for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "CycleGan.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException("CycleGan.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
