using System.Text;
using CycleGan.App.Models;

namespace CycleGan.App.Runs;

/// <summary>One stored tensor: its name, element type, shape and raw little-endian bytes.</summary>
public sealed record StoredTensor(string Name, ScalarType Type, long[] Shape, byte[] Bytes)
{
    public string ShapeText => StateDictCheck.Text(Shape);

    /// <summary>A new CPU tensor holding the stored values (in the caller's dispose scope).</summary>
    public Tensor ToTensor()
    {
        Tensor t = torch.empty(Shape, Type);
        if (Bytes.Length > 0)
        {
            Bytes.AsSpan().CopyTo(t.bytes);
        }

        return t;
    }
}

/// <summary>
/// Named tensors as bytes: a module's state dict, an image pool, a random generator's state. Unlike a bare
/// Module.save, reading it back first compares names and shapes with the module, so that a checkpoint of another
/// architecture is refused with the differences named instead of failing half-way through the copy.
/// </summary>
public static class TensorArchive
{
    public static byte[] Write(IEnumerable<(string Name, Tensor Value)> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var list = tensors.ToList();
        using var memory = new MemoryStream();
        using (var writer = new BinaryWriter(memory, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(list.Count);
            foreach (var (name, value) in list)
            {
                using var scope = torch.NewDisposeScope();
                Tensor host = value.detach().cpu().contiguous();
                writer.Write(name);
                writer.Write((int)value.dtype);
                writer.Write((int)host.dim());
                foreach (long d in host.shape)
                {
                    writer.Write(d);
                }

                ReadOnlySpan<byte> bytes = host.numel() == 0 ? [] : host.bytes;
                writer.Write((long)bytes.Length);
                writer.Write(bytes);
            }
        }

        return memory.ToArray();
    }

    public static IReadOnlyList<StoredTensor> Read(byte[] data, string what)
    {
        ArgumentNullException.ThrowIfNull(data);
        try
        {
            using var reader = new BinaryReader(new MemoryStream(data), Encoding.UTF8);
            int count = reader.ReadInt32();
            if (count < 0)
            {
                throw new InvalidDataException($"{what}: negative tensor count");
            }

            var result = new List<StoredTensor>(count);
            for (int i = 0; i < count; i++)
            {
                string name = reader.ReadString();
                var type = (ScalarType)reader.ReadInt32();
                int rank = reader.ReadInt32();
                if (rank is < 0 or > 8)
                {
                    throw new InvalidDataException($"{what}: tensor '{name}' has rank {rank}");
                }

                long[] shape = new long[rank];
                for (int d = 0; d < rank; d++)
                {
                    shape[d] = reader.ReadInt64();
                }

                long length = reader.ReadInt64();
                long expected = shape.Aggregate(1L, (a, b) => a * b) * ElementSize(type, name, what);
                if (length != expected || shape.Any(s => s < 0))
                {
                    throw new InvalidDataException($"{what}: tensor '{name}' holds {length} bytes, its shape [{string.Join(", ", shape)}] needs {expected}");
                }

                result.Add(new StoredTensor(name, type, shape, reader.ReadBytes((int)length)));
            }

            return reader.BaseStream.Position == data.Length
                ? result
                : throw new InvalidDataException($"{what}: unexpected bytes after the last tensor");
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException($"{what}: the tensor data ends early");
        }
    }

    /// <summary>
    /// Copies stored parameters and buffers into <paramref name="module"/>. Nothing is copied unless every name and
    /// shape matches; otherwise the exception lists the missing, unexpected and mismatched entries.
    /// </summary>
    public static void LoadInto(nn.Module module, IReadOnlyList<StoredTensor> stored, string what)
    {
        Check(module, stored, what);
        var byName = stored.ToDictionary(s => s.Name, StringComparer.Ordinal);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        foreach (var (name, tensor) in module.state_dict())
        {
            tensor.copy_(byName[name].ToTensor());
        }
    }

    /// <summary>Throws <see cref="CheckpointMismatchException"/> listing every difference in names, shapes and types.</summary>
    public static void Check(nn.Module module, IReadOnlyList<StoredTensor> stored, string what)
    {
        var problems = StateDictCheck.Differences(module, stored.Select(s => (s.Name, s.Type, s.Shape)));
        if (problems.Count > 0)
        {
            throw new CheckpointMismatchException($"{what} does not fit the configured network ({problems.Count} differences): {StateDictCheck.List(problems)}");
        }
    }

    private static long ElementSize(ScalarType type, string name, string what) => type switch
    {
        ScalarType.Byte or ScalarType.Int8 or ScalarType.Bool => 1,
        ScalarType.Int16 or ScalarType.Float16 or ScalarType.BFloat16 => 2,
        ScalarType.Int32 or ScalarType.Float32 => 4,
        ScalarType.Int64 or ScalarType.Float64 or ScalarType.ComplexFloat32 => 8,
        ScalarType.ComplexFloat64 => 16,
        _ => throw new InvalidDataException($"{what}: tensor '{name}' has unknown element type {(int)type}"),
    };
}

/// <summary>A checkpoint that is intact but belongs to another architecture.</summary>
public sealed class CheckpointMismatchException(string message) : IOException(message);
