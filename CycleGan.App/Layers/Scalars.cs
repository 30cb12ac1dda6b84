using System.Collections.Concurrent;

namespace CycleGan.App.Layers;

/// <summary>
/// Scalars that stay alive for the whole process. TorchSharp 0.107 turns a number used with a tensor (<c>x - 0.5</c>,
/// <c>clamp(-1, 1)</c>) into a <see cref="Scalar"/> that only its finalizer frees, and nothing keeps that object alive
/// through the native call that reads it: a garbage collection on another thread in between frees it under libtorch,
/// which then fails with "Unknown scalar type" or reads another value. BannedSymbols.txt keeps those conversions out of
/// the project. The values used are a handful of constants and config settings, so the cache stays small.
/// </summary>
internal static class Scalars
{
    private static readonly ConcurrentDictionary<double, Scalar> Reals = new();
    private static readonly ConcurrentDictionary<long, Scalar> Integers = new();

    /// <summary>A floating-point scalar (libtorch keeps a float tensor's type when it meets one).</summary>
    public static Scalar Of(double value) => Reals.GetOrAdd(value, static v => v.ToScalar());

    /// <summary>An integer scalar: an integer tensor stays an integer tensor when it meets one.</summary>
    public static Scalar Of(long value) => Integers.GetOrAdd(value, static v => v.ToScalar());

    /// <summary>The alpha of a plain addition (see <see cref="TensorAddition"/>).</summary>
    public static Scalar One => Of(1L);
}
