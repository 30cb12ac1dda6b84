namespace CycleGan.App.Verification.Catalogue;

/// <summary>
/// How close TorchSharp and the reference kernels must agree. The error of a tensor is max|torch - reference| divided
/// by max|reference| over that tensor, so it is independent of the tensor's scale; the reference always computes in
/// float64 from the very values (already rounded to the dtype) that TorchSharp received.
/// </summary>
public static class Tolerances
{
    /// <summary>float64: both sides compute in double; only summation order differs.</summary>
    public const double Float64 = 1e-10;

    /// <summary>float32: TorchSharp accumulates in single precision (about 6e-8 per operation).</summary>
    public const double Float32 = 1e-4;

    /// <summary>The reference's analytic backward against central differences (step 1e-6) of its own forward.</summary>
    public const double FiniteDifference = 1e-6;

    /// <summary>
    /// Multiplies the tolerances that <see cref="For"/> gives. It is 1 except under verify-layers' hidden
    /// --tolerance-scale, set once before any check runs: a scale far below the errors makes passing cases fail, which is
    /// how the tests see a failing layer end in exit code 1 without a broken kernel.
    /// </summary>
    public static double Scale { get; internal set; } = 1;

    public static double For(torch.ScalarType dtype) => Scale * dtype switch
    {
        torch.ScalarType.Float64 => Float64,
        torch.ScalarType.Float32 => Float32,
        _ => throw new ArgumentException($"dtype {dtype} is not checked: use float32 or float64", nameof(dtype)),
    };
}
