using CycleGan.App.Runs;

namespace CycleGan.Tests.Training.Checkpoints;

public sealed class SectionFileTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("cyclegan-sections-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static (string, byte[])[] Sample() =>
    [
        ("config", "{\"a\":1}"u8.ToArray()),
        ("empty", []),
        ("G_A", Enumerable.Range(0, 5000).Select(i => (byte)(i * 7)).ToArray()),
    ];

    [Fact]
    public void Round_trip_keeps_every_section()
    {
        string path = Path.Combine(dir, "c.ckpt");
        SectionFile.Write(path, Sample());
        var read = SectionFile.Read(path);
        foreach (var (name, bytes) in Sample())
        {
            Assert.Equal(bytes, read[name]);
        }

        Assert.Single(Directory.GetFiles(dir)); // no temporary file left behind
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(100)]
    [InlineData(-1)]
    public void Truncated_files_are_refused_by_name(int keep)
    {
        string path = Path.Combine(dir, "c.ckpt");
        SectionFile.Write(path, Sample());
        byte[] all = File.ReadAllBytes(path);
        File.WriteAllBytes(path, all[..(keep < 0 ? all.Length - 1 : keep)]);
        var ex = Assert.Throws<InvalidDataException>(() => SectionFile.Read(path));
        Assert.Contains(path, ex.Message);
    }

    [Fact]
    public void Every_single_bit_flip_is_detected()
    {
        string path = Path.Combine(dir, "c.ckpt");
        SectionFile.Write(path, [("x", [1, 2, 3])]);
        byte[] good = File.ReadAllBytes(path);
        for (int i = 0; i < good.Length; i++)
        {
            byte[] bad = (byte[])good.Clone();
            bad[i] ^= 0x10;
            File.WriteAllBytes(path, bad);
            Assert.Throws<InvalidDataException>(() => SectionFile.Read(path));
        }
    }

    [Fact]
    public void A_failed_write_leaves_the_previous_file_intact()
    {
        string path = Path.Combine(dir, "c.ckpt");
        SectionFile.Write(path, Sample());
        byte[] before = File.ReadAllBytes(path);
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, s =>
        {
            s.Write(new byte[100]);
            throw new InvalidOperationException("simulated crash mid-write");
        }));
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(dir));
    }

    [Fact]
    public void A_foreign_file_is_named_as_not_a_checkpoint()
    {
        string path = Path.Combine(dir, "model.pth");
        File.WriteAllBytes(path, new byte[200]);
        var ex = Assert.Throws<InvalidDataException>(() => SectionFile.Read(path));
        Assert.Contains("not a CycleGan checkpoint", ex.Message);
    }
}
