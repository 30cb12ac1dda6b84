namespace CycleGan.Data.Loading;

/// <summary>An unexpected failure while loading one file, raised on the consumer's thread with the file named.</summary>
public sealed class DataLoadException(string path, Exception inner)
    : IOException(inner.Message.Contains(path, StringComparison.Ordinal) ? inner.Message : $"{path}: {inner.Message}", inner)
{
    public string Path { get; } = path;
}
