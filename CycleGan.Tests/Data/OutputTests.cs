using CycleGan.Data.Imaging;
using CycleGan.Data.Loading;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace CycleGan.Tests.Data;

public class OutputTests
{
    [Fact]
    public void Values_on_the_8_bit_grid_survive_a_png_round_trip()
    {
        using var dir = new TempDirectory();
        int c = 3, h = 5, w = 7;
        var data = new float[c * h * w];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (i * 37 % 256) / 127.5f - 1f;
        }

        var batch = new ImageBatch(data, 1, c, h, w, ["x"]);
        string path = dir.Combine("out", "round.png");
        ImageWriter.SaveFromBatch(batch, 0, path);
        using var decoded = ImageDecoder.LoadRgb(path);
        var back = new float[data.Length];
        PixelConversion.ToNormalizedChw(decoded, 3, back);
        for (int i = 0; i < data.Length; i++)
        {
            Assert.Equal(data[i], back[i], 1e-6f);
        }
    }

    [Fact]
    public void A_single_image_loads_whole_with_preprocess_none()
    {
        using var dir = new TempDirectory();
        using (var image = TestImages.Coordinates(42, 26))
        {
            TestImages.WritePng(dir.Combine("one.png"), image);
        }

        var batch = SingleImage.Load(dir.Combine("one.png"), new CycleGan.Data.Transforms.TransformOptions { Preprocess = CycleGan.Data.Transforms.PreprocessMode.None, NoFlip = true });
        Assert.Equal([1L, 3, 24, 40], batch.Shape); // 42 -> 40 and 26 -> 24: ties round to even
        Assert.Equal([dir.Combine("one.png")], batch.Paths);
    }

    [Fact]
    public void Out_of_range_values_are_clamped_and_nan_is_black()
    {
        using var image = PixelConversion.FromNormalizedChw([2f, -3f, float.NaN, 0f], 1, 1, 4);
        Assert.Equal(new Rgb24(255, 255, 255), image[0, 0]);
        Assert.Equal(new Rgb24(0, 0, 0), image[1, 0]);
        Assert.Equal(new Rgb24(0, 0, 0), image[2, 0]);
        Assert.Equal(new Rgb24(128, 128, 128), image[3, 0]); // 127.5 rounds up
    }

    [Fact]
    public void Saving_picks_the_format_by_extension_leaves_no_temp_files_and_overwrites()
    {
        using var dir = new TempDirectory();
        using var red = new Image<Rgb24>(6, 4, new Rgb24(250, 0, 0));
        using var blue = new Image<Rgb24>(6, 4, new Rgb24(0, 0, 250));
        ImageWriter.Save(red, dir.Combine("a.jpg"));
        ImageWriter.Save(red, dir.Combine("a.png"));
        ImageWriter.Save(blue, dir.Combine("a.png"));
        Assert.Equal([0xFF, 0xD8], File.ReadAllBytes(dir.Combine("a.jpg"))[..2]);
        Assert.Equal(0x89, File.ReadAllBytes(dir.Combine("a.png"))[0]);
        using var reread = ImageDecoder.LoadRgb(dir.Combine("a.png"));
        Assert.Equal(new Rgb24(0, 0, 250), reread[2, 2]);
        Assert.Equal(["a.jpg", "a.png"], Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order());
        Assert.Throws<ArgumentException>(() => ImageWriter.Save(red, dir.Combine("a.gif")));
    }

    [Fact]
    public void Grid_size_placement_and_labels()
    {
        var cells = Enumerable.Range(0, 5)
            .Select(i => new GridCell(new Image<Rgb24>(10, 8, new Rgb24((byte)(40 * i + 10), 0, 200)), i == 4 ? "" : $"real A {i}"))
            .ToList();
        using var grid = ImageGrid.Compose(cells, columns: 3);
        // 3 columns of 10 px and 4 margins of 4; 2 rows of (label band 7 + 2 * 4, image 8) and 3 margins of 4.
        Assert.Equal(3 * 10 + 4 * 4, grid.Width);
        Assert.Equal(2 * (15 + 8) + 3 * 4, grid.Height);
        // Cell 4 (row 1, column 1): image at x = 4 + 14 = 18, y = 4 + 23 + 4 + 15 = 46.
        Assert.Equal(new Rgb24(170, 0, 200), grid[18, 46]);
        Assert.Equal(new Rgb24(170, 0, 200), grid[27, 53]);
        Assert.Equal(new Rgb24(255, 255, 255), grid[28, 53]); // the margin right of it
        Assert.True(HasDark(grid, 4, 4, 10, 15), "label of cell 0 drawn");
        Assert.False(HasDark(grid, 18, 31, 10, 15), "cell 4 has an empty label");
        foreach (var cell in cells)
        {
            cell.Image.Dispose();
        }
    }

    [Fact]
    public void Long_labels_are_cut_to_the_tile_width()
    {
        Assert.Equal("ABCDEFGH", BitmapFont.Fit("ABCDEFGH", 47, 1));
        Assert.Equal("ABCDEF..", BitmapFont.Fit("ABCDEFGHIJ", 47, 1)); // 8 characters of 6 px, less the last gap, = 47
        Assert.Equal("ABCDE..", BitmapFont.Fit("ABCDEFGHIJ", 46, 1)); // 8 would need 47
        Assert.Equal("AB....", BitmapFont.Fit("AB....", 40, 1));
        Assert.Equal(47, BitmapFont.MeasureWidth("ABCDEF..", 1));
    }

    private static bool HasDark(Image<Rgb24> image, int x0, int y0, int w, int h)
    {
        for (int y = y0; y < y0 + h; y++)
        {
            for (int x = x0; x < x0 + w; x++)
            {
                if (image[x, y].R < 100)
                {
                    return true;
                }
            }
        }

        return false;
    }
}
