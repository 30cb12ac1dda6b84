namespace CycleGan.Data.Datasets;

/// <summary>The dataset folder is not in the reference layout; the message names what was expected.</summary>
public sealed class DatasetLayoutException(string message) : IOException(message + Environment.NewLine + DatasetLayout.ExpectedLayoutHelp);
