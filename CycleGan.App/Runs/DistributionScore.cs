using System.Text.Json.Serialization;

namespace CycleGan.App.Runs;

/// <summary>FID and KID of one direction: the translations of one domain's test images against the other domain's
/// real test images. Null where not asked for or not computable (<see cref="FidNote"/> says why).</summary>
public sealed record DistributionScore(
    [property: JsonPropertyName("direction")] string Direction,
    [property: JsonPropertyName("translated_images")] int Translated,
    [property: JsonPropertyName("real_images")] int Real,
    [property: JsonPropertyName("fid")] double? Fid,
    [property: JsonPropertyName("fid_note")] string? FidNote,
    [property: JsonPropertyName("kid")] double? Kid,
    [property: JsonPropertyName("kid_std")] double? KidStd,
    [property: JsonPropertyName("kid_subset_size")] int? KidSubsetSize,
    [property: JsonPropertyName("kid_subsets")] int? KidSubsets);
