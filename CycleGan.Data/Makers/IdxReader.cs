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
        ReadMagic(stream, path, ImagesMagic, "image");
        int[] header = ReadHeader(stream, path, 3);
        int count = header[0], rows = header[1], columns = header[2];
        if (count < 0 || rows is < 1 or > 4096 || columns is < 1 or > 4096)
        {
            throw new InvalidDataException($"{path}: implausible IDX dimensions {count}x{rows}x{columns}");
        }

        return new IdxImages(count, rows, columns, ReadExactly(stream, path, checked(count * rows * columns)));
    }

    public static byte[] ReadLabels(string path)
    {
        using Stream stream = OpenGzip(path);
        ReadMagic(stream, path, LabelsMagic, "label");
        int count = ReadHeader(stream, path, 1)[0];
        if (count < 0)
        {
            throw new InvalidDataException($"{path}: negative label count");
        }

        return ReadExactly(stream, path, count);
    }

    private static Stream OpenGzip(string path) => new GZipStream(File.OpenRead(path), CompressionMode.Decompress);

    private static void ReadMagic(Stream stream, string path, int expected, string kind)
    {
        int magic = ReadHeader(stream, path, 1)[0];
        if (magic != expected)
        {
            throw new InvalidDataException($"{path}: not an IDX {kind} file (magic 0x{magic:X8}, expected 0x{expected:X8})");
        }
    }

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
