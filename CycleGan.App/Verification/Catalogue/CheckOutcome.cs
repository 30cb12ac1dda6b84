namespace CycleGan.App.Verification.Catalogue;

/// <summary>One compared quantity of a check (the output, the gradient of the input or of a weight, a buffer).</summary>
public sealed record Comparison(string Quantity, double MaxAbsError, double MaxRelError, double Tolerance, bool Passed, string? Detail = null);

/// <summary>The result of one check case of one layer: every quantity compared, or the error that stopped it.</summary>
public sealed record CheckOutcome(string Layer, string Case, string DType, IReadOnlyList<Comparison> Comparisons, string? Error = null)
{
    public bool Passed => Error is null && Comparisons.Count > 0 && Comparisons.All(c => c.Passed);

    public double MaxAbsError => Comparisons.Count == 0 ? double.NaN : Comparisons.Max(c => c.MaxAbsError);

    public double MaxRelError => Comparisons.Count == 0 ? double.NaN : Comparisons.Max(c => c.MaxRelError);

    /// <summary>What went wrong, naming the quantity: empty when the case passed.</summary>
    public string FailureSummary =>
        Error ?? string.Join("; ", Comparisons.Where(c => !c.Passed).Select(c =>
            $"{c.Quantity}: rel {c.MaxRelError:G3} > {c.Tolerance:G3}{(c.Detail is null ? string.Empty : " (" + c.Detail + ")")}"));
}
