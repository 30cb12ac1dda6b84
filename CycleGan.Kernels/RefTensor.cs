namespace CycleGan.Kernels;

/// <summary>
/// A dense, row-major float64 array: the only data type of the managed reference kernels.
/// Deliberately plain (no views, no broadcasting) so that the kernels written on it are easy to audit.
/// </summary>
public sealed class RefTensor
{
    public RefTensor(params int[] shape)
        : this(shape, new double[CountOf(shape)])
    {
    }

    public RefTensor(int[] shape, double[] data)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(data);
        if (data.Length != CountOf(shape))
        {
            throw new ArgumentException(
                $"data has {data.Length} elements but shape [{string.Join(", ", shape)}] needs {CountOf(shape)}", nameof(data));
        }

        Shape = (int[])shape.Clone();
        Data = data;
    }

    public int[] Shape { get; }

    public double[] Data { get; }

    public int Rank => Shape.Length;

    public int Count => Data.Length;

    public int Dim(int axis) => Shape[axis < 0 ? Shape.Length + axis : axis];

    public double this[int i0] { get => Data[i0]; set => Data[i0] = value; }

    public double this[int i0, int i1]
    {
        get => Data[Offset(i0, i1)];
        set => Data[Offset(i0, i1)] = value;
    }

    public double this[int i0, int i1, int i2, int i3]
    {
        get => Data[Offset(i0, i1, i2, i3)];
        set => Data[Offset(i0, i1, i2, i3)] = value;
    }

    public int Offset(int i0, int i1) => (i0 * Shape[1]) + i1;

    public int Offset(int i0, int i1, int i2, int i3) => (((((i0 * Shape[1]) + i1) * Shape[2]) + i2) * Shape[3]) + i3;

    public static int CountOf(IReadOnlyList<int> shape)
    {
        int count = 1;
        foreach (int d in shape)
        {
            if (d < 0)
            {
                throw new ArgumentException($"negative dimension {d} in shape", nameof(shape));
            }

            count = checked(count * d);
        }

        return count;
    }

    public static RefTensor Scalar(double value) => new([], [value]);

    public static RefTensor ZerosLike(RefTensor other) => new(other.Shape);

    public RefTensor Clone() => new(Shape, (double[])Data.Clone());

    /// <summary>The same data under another shape with as many elements (no copy).</summary>
    public RefTensor Reshape(params int[] shape) => new(shape, Data);

    /// <summary>Uniform values in [low, high) from a seeded generator, for test inputs.</summary>
    public static RefTensor Uniform(Random random, double low, double high, params int[] shape)
    {
        var t = new RefTensor(shape);
        for (int i = 0; i < t.Count; i++)
        {
            t.Data[i] = low + ((high - low) * random.NextDouble());
        }

        return t;
    }

    public bool SameShape(RefTensor other) => Shape.AsSpan().SequenceEqual(other.Shape);

    public override string ToString() => $"RefTensor[{string.Join(", ", Shape)}]";
}
