using System.Buffers.Binary;
using System.IO.Compression;

namespace CycleGan.Data.Makers;

/// <summary>Reads the gzip'd IDX files of MNIST-style datasets (big-endian header: magic, dimension sizes; then
/// unsigned bytes).</summary>
public static class IdxReader
{
    public const int ImagesMagic = 0x00000803;
    public const int LabelsMagic = 0x00000801;

    public sealed record IdxImages(int Count, int Rows, int Columns, byte[] Pixels)
    {
        public ReadOnlySpan<byte> Image(int index) => Pixels.AsSpan(index * Rows * Columns, Rows * Columns);
    }

    public static IdxImages ReadImages(string path)
    {
        using Stream stream = OpenGzip(path);
        int[] header = ReadHeader(stream, path, 4);
        if (header[0] != ImagesMagic)
        {
            throw new InvalidDataException($"{path}: not an IDX image file (magic 0x{header[0]:X8}, expected 0x{ImagesMagic:X8})");
        }

        int count = header[1], rows = header[2], columns = header[3];
        if (count < 0 || rows is < 1 or > 4096 || columns is < 1 or > 4096)
        {
            throw new InvalidDataException($"{path}: implausible IDX dimensions {count}x{rows}x{columns}");
        }

        return new IdxImages(count, rows, columns, ReadExactly(stream, path, checked(count * rows * columns)));
    }

    public static byte[] ReadLabels(string path)
    {
        using Stream stream = OpenGzip(path);
        int[] header = ReadHeader(stream, path, 2);
        if (header[0] != LabelsMagic)
        {
            throw new InvalidDataException($"{path}: not an IDX label file (magic 0x{header[0]:X8}, expected 0x{LabelsMagic:X8})");
        }

        if (header[1] < 0)
        {
            throw new InvalidDataException($"{path}: negative label count");
        }

        return ReadExactly(stream, path, header[1]);
    }

    private static Stream OpenGzip(string path) => new GZipStream(File.OpenRead(path), CompressionMode.Decompress);

    private static int[] ReadHeader(Stream stream, string path, int ints)
    {
        byte[] bytes = ReadExactly(stream, path, ints * 4);
        var values = new int[ints];
        for (int i = 0; i < ints; i++)
        {
            values[i] = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(i * 4, 4));
        }

        return values;
    }

    private static byte[] ReadExactly(Stream stream, string path, int count)
    {
        var buffer = new byte[count];
        try
        {
            stream.ReadExactly(buffer);
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException($"{path}: file ends early (expected {count} more bytes)");
        }

        return buffer;
    }
}
