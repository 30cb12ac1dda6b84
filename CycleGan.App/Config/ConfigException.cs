namespace CycleGan.App.Config;

/// <summary>A config that cannot be used: the message names the file, the key, the value and what is allowed.</summary>
public sealed class ConfigException(string message) : Exception(message);
