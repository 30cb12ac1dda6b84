using System.Security.Cryptography;
using System.Text;

namespace CycleGan.App.Runs;

/// <summary>
/// A container of named binary sections closed by a SHA-256 of everything before it, so that a truncated, bit-flipped
/// or foreign file is recognised as such before anything in it is used.
/// Layout: magic "CYCLEGAN", format version u32, section count u32, then per section a length-prefixed UTF-8 name and
/// a u64 length with the bytes, then the 32-byte hash.
/// </summary>
public static class SectionFile
{
    public const int FormatVersion = 1;
    private static readonly byte[] Magic = "CYCLEGAN"u8.ToArray();
    private const int HashSize = 32;

    public static void Write(string path, IReadOnlyList<(string Name, byte[] Bytes)> sections)
    {
        ArgumentNullException.ThrowIfNull(sections);
        AtomicFile.Write(path, stream =>
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            void Put(ReadOnlySpan<byte> bytes)
            {
                hash.AppendData(bytes);
                stream.Write(bytes);
            }

            Span<byte> number = stackalloc byte[8];
            Put(Magic);
            BitConverter.TryWriteBytes(number, FormatVersion);
            Put(number[..4]);
            BitConverter.TryWriteBytes(number, sections.Count);
            Put(number[..4]);
            foreach (var (name, bytes) in sections)
            {
                byte[] utf8 = Encoding.UTF8.GetBytes(name);
                BitConverter.TryWriteBytes(number, utf8.Length);
                Put(number[..4]);
                Put(utf8);
                BitConverter.TryWriteBytes(number, (long)bytes.Length);
                Put(number);
                Put(bytes);
            }

            stream.Write(hash.GetHashAndReset());
        });
    }

    /// <summary>Reads and verifies every section; InvalidDataException names the file and what is wrong with it.</summary>
    public static IReadOnlyDictionary<string, byte[]> Read(string path)
    {
        byte[] all;
        try
        {
            all = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            throw new FileNotFoundException($"checkpoint {path} does not exist", path);
        }

        string Bad(string what) => $"checkpoint {path} is unusable: {what}";
        if (all.Length < Magic.Length + 8 + HashSize || !all.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new InvalidDataException(Bad(all.Length == 0 ? "the file is empty" : "it is not a CycleGan checkpoint (wrong header)"));
        }

        int body = all.Length - HashSize;
        byte[] expected = SHA256.HashData(all.AsSpan(0, body));
        if (!expected.AsSpan().SequenceEqual(all.AsSpan(body)))
        {
            throw new InvalidDataException(Bad($"its checksum does not match (truncated or corrupted; {all.Length} bytes)"));
        }

        int version = BitConverter.ToInt32(all, Magic.Length);
        if (version != FormatVersion)
        {
            throw new InvalidDataException(Bad($"format version {version}; this build reads version {FormatVersion}"));
        }

        int count = BitConverter.ToInt32(all, Magic.Length + 4);
        int at = Magic.Length + 8;
        var sections = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            if (at + 4 > body)
            {
                throw new InvalidDataException(Bad("section table runs past the end"));
            }

            int nameLength = BitConverter.ToInt32(all, at);
            at += 4;
            if (nameLength < 0 || at + nameLength + 8 > body)
            {
                throw new InvalidDataException(Bad("section name runs past the end"));
            }

            string name = Encoding.UTF8.GetString(all, at, nameLength);
            at += nameLength;
            long length = BitConverter.ToInt64(all, at);
            at += 8;
            if (length < 0 || at + length > body)
            {
                throw new InvalidDataException(Bad($"section '{name}' runs past the end"));
            }

            sections[name] = all.AsSpan(at, (int)length).ToArray();
            at += (int)length;
        }

        return at == body ? sections : throw new InvalidDataException(Bad("unexpected bytes after the last section"));
    }
}
