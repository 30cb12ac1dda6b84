namespace CycleGan.App.Generators;

/// <summary>Where loaded generators came from, for messages and default output folders.</summary>
/// <param name="Source">The file: a checkpoint, a .pth or .safetensors file, an ONNX model.</param>
/// <param name="Epoch">Epochs completed when it was written; null where the file does not say.</param>
/// <param name="RunFolder">The run the checkpoint belongs to, if any.</param>
public sealed record GeneratorOrigin(string Source, int? Epoch, string? RunFolder)
;
