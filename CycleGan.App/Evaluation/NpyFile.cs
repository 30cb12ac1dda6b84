using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace CycleGan.App.Evaluation;

/// <summary>A float64 array read from or written as NumPy's .npy format: the magic "\x93NUMPY", a version, a
/// little-endian header length, an ASCII header dict {'descr': '&lt;f8', 'fortran_order': False, 'shape': (...), }
/// padded with spaces to a multiple of 64 bytes and ended by a newline, then the values in C order.</summary>
public sealed record NpyArray(long[] Shape, double[] Values);

/// <summary>Reads and writes <see cref="NpyArray"/>. Strict: only little-endian float64 in C order is accepted, and
/// anything else is refused by what it is (dtype, order, a truncated body) rather than converted.</summary>
public static partial class NpyFile
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    public static NpyArray Read(Stream stream, string name)
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        byte[] bytes = buffer.ToArray();
        if (bytes.Length < 10 || !bytes.AsSpan(0, 6).SequenceEqual(Magic))
        {
            throw new InvalidDataException($"{name} is not a NumPy .npy array (no \\x93NUMPY magic)");
        }

        int major = bytes[6];
        int headerLength, headerStart;
        switch (major)
        {
            case 1:
                headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8, 2));
                headerStart = 10;
                break;
            case 2 or 3 when bytes.Length >= 12:
                headerLength = checked((int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8, 4)));
                headerStart = 12;
                break;
            default:
                throw new InvalidDataException($"{name}: .npy format version {major}.{bytes[7]} is not one NumPy writes (1.0, 2.0, 3.0)");
        }

        if (headerStart + headerLength > bytes.Length)
        {
            throw new InvalidDataException($"{name}: .npy header runs past the end of the array");
        }

        string header = Encoding.UTF8.GetString(bytes, headerStart, headerLength);
        string descr = Field(header, "descr", name);
        if (descr != "'<f8'")
        {
            throw new InvalidDataException($"{name} holds dtype {descr.Trim('\'')}; FID statistics are float64 ('<f8', what numpy and pytorch-fid write)");
        }

        if (Field(header, "fortran_order", name) != "False")
        {
            throw new InvalidDataException($"{name} is stored in Fortran order; only C order is read");
        }

        long[] shape = ParseShape(Field(header, "shape", name), name);
        long count = shape.Aggregate(1L, (a, b) => checked(a * b));
        int dataStart = headerStart + headerLength;
        if (bytes.Length - dataStart != count * sizeof(double))
        {
            throw new InvalidDataException($"{name}: shape ({string.Join(", ", shape)}) needs {count * sizeof(double)} bytes of values, the file holds {bytes.Length - dataStart}");
        }

        var values = new double[count];
        for (long i = 0; i < count; i++)
        {
            values[i] = BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(dataStart + (int)(i * sizeof(double)), sizeof(double)));
        }

        return new NpyArray(shape, values);
    }

    public static void Write(Stream stream, NpyArray array)
    {
        if (array.Values.LongLength != array.Shape.Aggregate(1L, (a, b) => a * b))
        {
            throw new ArgumentException($"an array of shape ({string.Join(", ", array.Shape)}) needs {array.Shape.Aggregate(1L, (a, b) => a * b)} values, got {array.Values.LongLength}");
        }

        // numpy writes a 1-tuple with its trailing comma: (5,)
        string shape = array.Shape.Length == 1 ? $"({array.Shape[0]},)" : $"({string.Join(", ", array.Shape)})";
        string dict = string.Create(CultureInfo.InvariantCulture, $"{{'descr': '<f8', 'fortran_order': False, 'shape': {shape}, }}");
        int unpadded = 10 + dict.Length + 1;
        int padding = (64 - (unpadded % 64)) % 64;
        string header = dict + new string(' ', padding) + "\n";
        var prefix = new byte[10];
        Magic.CopyTo(prefix, 0);
        prefix[6] = 1;
        prefix[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(prefix.AsSpan(8), checked((ushort)header.Length));
        stream.Write(prefix);
        stream.Write(Encoding.ASCII.GetBytes(header));
        var value = new byte[sizeof(double)];
        foreach (double v in array.Values)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(value, v);
            stream.Write(value);
        }
    }

    private static string Field(string header, string key, string name)
    {
        Match match = FieldPattern(key).Match(header);
        if (!match.Success)
        {
            throw new InvalidDataException($"{name}: the .npy header has no '{key}': {header.Trim()}");
        }

        return match.Groups["value"].Value.Trim();
    }

    private static Regex FieldPattern(string key) => new($@"'{Regex.Escape(key)}'\s*:\s*(?<value>\([^)]*\)|'[^']*'|True|False)", RegexOptions.CultureInvariant);

    private static long[] ParseShape(string tuple, string name)
    {
        if (!ShapePattern().IsMatch(tuple))
        {
            throw new InvalidDataException($"{name}: the .npy shape {tuple} is not a tuple of sizes");
        }

        return tuple.Trim('(', ')').Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => long.Parse(s, NumberStyles.None, CultureInfo.InvariantCulture)).ToArray();
    }

    [GeneratedRegex(@"^\(\s*(\d+\s*(,\s*\d+\s*)*,?\s*)?\)$", RegexOptions.CultureInvariant)]
    private static partial Regex ShapePattern();
}
