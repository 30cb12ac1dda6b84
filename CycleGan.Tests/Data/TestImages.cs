using System.Buffers.Binary;
using System.IO.Compression;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

namespace CycleGan.Tests.Data;

/// <summary>Small images and files written by the tests themselves.</summary>
public static class TestImages
{
    /// <summary>An image whose pixel (x, y) is (x*6, y*8, 100): a crop's offset and a flip can be read back from it.</summary>
    public static Image<Rgb24> Coordinates(int width = 40, int height = 30)
    {
        var image = new Image<Rgb24>(width, height);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                image[x, y] = new Rgb24((byte)(x * 6), (byte)(y * 8), 100);
            }
        }

        return image;
    }

    public static Image<Rgb24> Solid(int width, int height, Rgb24 color) => new(width, height, color);

    public static string WritePng(string path, Image image)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        image.SaveAsPng(path);
        return path;
    }

    public static string WriteSolidPng(string path, int width, int height, byte r, byte g, byte b)
    {
        using var image = Solid(width, height, new Rgb24(r, g, b));
        return WritePng(path, image);
    }

    /// <summary>A noisy JPEG (so it has a realistic amount of entropy-coded data).</summary>
    public static byte[] NoisyJpeg(int width, int height, int seed)
    {
        var random = new Random(seed);
        using var image = new Image<Rgb24>(width, height);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                image[x, y] = new Rgb24((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
            }
        }

        using var stream = new MemoryStream();
        image.SaveAsJpeg(stream, new JpegEncoder { Quality = 90 });
        return stream.ToArray();
    }

    /// <summary>A PNG that is only a signature, an IHDR declaring the given size, and IEND: no pixel data at all.</summary>
    public static byte[] PngHeaderOnly(int width, int height)
    {
        using var stream = new MemoryStream();
        stream.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(0), width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 2; // colour type RGB
        WriteChunk(stream, "IHDR", ihdr);
        WriteChunk(stream, "IEND", []);
        return stream.ToArray();
    }

    /// <summary>A gzip'd IDX file: magic, dimension sizes, then the bytes.</summary>
    public static void WriteIdx(string path, int magic, int[] dims, byte[] data)
    {
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        var header = new byte[4 * (1 + dims.Length)];
        BinaryPrimitives.WriteInt32BigEndian(header, magic);
        for (int i = 0; i < dims.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 * (i + 1)), dims[i]);
        }

        gzip.Write(header);
        gzip.Write(data);
    }

    private static void WriteChunk(Stream stream, string type, byte[] data)
    {
        var length = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        stream.Write(length);
        byte[] typed = [.. System.Text.Encoding.ASCII.GetBytes(type), .. data];
        stream.Write(typed);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typed));
        stream.Write(crc);
    }

    private static uint Crc32(byte[] bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in bytes)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
            }
        }

        return ~crc;
    }
}

/// <summary>Hand-made TIFF files for colour models ImageSharp cannot encode.</summary>
public static class TiffFiles
{
    /// <summary>An uncompressed, chunky, 8-bit CMYK (photometric "separated", ink set CMYK) TIFF, one strip.</summary>
    public static byte[] Cmyk(int width, int height, byte[] cmyk)
    {
        const int entries = 11;
        int ifdOffset = 8, ifdSize = 2 + entries * 12 + 4;
        int bitsOffset = ifdOffset + ifdSize, dataOffset = bitsOffset + 8;
        var bytes = new byte[dataOffset + cmyk.Length];
        var span = bytes.AsSpan();
        span[0] = (byte)'I';
        span[1] = (byte)'I';
        BinaryPrimitives.WriteUInt16LittleEndian(span[2..], 42);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], (uint)ifdOffset);
        BinaryPrimitives.WriteUInt16LittleEndian(span[ifdOffset..], entries);
        int at = ifdOffset + 2;
        void Entry(ushort tag, ushort type, uint count, uint value)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(at), tag);
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(at + 2), type);
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at + 4), count);
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at + 8), value);
            at += 12;
        }

        const ushort Short = 3, Long = 4;
        Entry(256, Long, 1, (uint)width);
        Entry(257, Long, 1, (uint)height);
        Entry(258, Short, 4, (uint)bitsOffset); // 8,8,8,8 stored apart: four shorts do not fit in the entry
        Entry(259, Short, 1, 1); // no compression
        Entry(262, Short, 1, 5); // separated
        Entry(273, Long, 1, (uint)dataOffset);
        Entry(277, Short, 1, 4);
        Entry(278, Long, 1, (uint)height);
        Entry(279, Long, 1, (uint)cmyk.Length);
        Entry(284, Short, 1, 1); // chunky
        Entry(332, Short, 1, 1); // ink set CMYK
        for (int i = 0; i < 4; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(span[(bitsOffset + 2 * i)..], 8);
        }

        cmyk.CopyTo(span[dataOffset..]);
        return bytes;
    }
}
