using System.Globalization;

namespace CycleGan.App.Evaluation;

/// <summary>What FID's number of images means for reading it: FID is computed for any N >= 2 (as pytorch-fid does),
/// but its estimate is biased upward by an amount that shrinks as N grows, so small sets are compared at equal N.</summary>
public static class FidSampleSize
{
    /// <summary>The fewest images whose covariance can have full rank in the 2048 feature dimensions.</summary>
    public const int FullRank = FidInception.Dimensions + 1;

    /// <summary>The line printed beside a FID from sets below <see cref="FullRank"/> images, or from a statistics
    /// file whose N is not stored; null when both sets are large enough.</summary>
    public static string? Note(int? first, int? second)
    {
        if (first is null || second is null)
        {
            return "a statistics file does not store its N: compare this FID only with FIDs at the same numbers of images";
        }

        int smallest = Math.Min(first.Value, second.Value);
        return smallest < FullRank
            ? string.Create(CultureInfo.InvariantCulture,
                $"FID on small sets (here {first} and {second} images, fewer than {FullRank}) is biased upward: compare it only with FIDs at the same N")
            : null;
    }
}
