using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace CycleGan.Data.Imaging;

/// <summary>One tile of a sample sheet.</summary>
public sealed record GridCell(Image<Rgb24> Image, string Label);

/// <summary>Sample sheets: images side by side in rows, each under its label, on white.</summary>
public static class ImageGrid
{
    /// <summary>Gap in pixels around and between tiles.</summary>
    public const int Margin = 4;

    /// <summary>Font scale for tiles of the given width: 1 up to 127 pixels, then one step per 128 so labels stay
    /// readable on 256- and 512-pixel images.</summary>
    public static int LabelScale(int cellWidth) => Math.Max(1, cellWidth / 128);

    /// <summary>Height of the label band above each tile.</summary>
    public static int LabelHeight(int cellWidth) => BitmapFont.GlyphHeight * LabelScale(cellWidth) + 2 * Margin;

    /// <summary>Tiles are as large as the largest image; smaller images sit at their tile's top-left. The caller keeps
    /// ownership of the cells' images.</summary>
    public static Image<Rgb24> Compose(IReadOnlyList<GridCell> cells, int columns)
    {
        if (cells.Count == 0)
        {
            throw new ArgumentException("a grid needs at least one image");
        }

        if (columns < 1)
        {
            throw new ArgumentException($"columns must be positive, not {columns}");
        }

        columns = Math.Min(columns, cells.Count);
        int rows = (cells.Count + columns - 1) / columns;
        int cellW = cells.Max(c => c.Image.Width), cellH = cells.Max(c => c.Image.Height);
        int scale = LabelScale(cellW), labelH = LabelHeight(cellW);
        int width = columns * cellW + (columns + 1) * Margin;
        int height = rows * (labelH + cellH) + (rows + 1) * Margin;
        var sheet = new Image<Rgb24>(ImageDecoder.Config, width, height, new Rgb24(255, 255, 255));
        for (int i = 0; i < cells.Count; i++)
        {
            int x = Margin + (i % columns) * (cellW + Margin);
            int y = Margin + (i / columns) * (labelH + cellH + Margin);
            string label = BitmapFont.Fit(cells[i].Label, cellW, scale);
            BitmapFont.Draw(sheet, label, x, y + Margin, scale, new Rgb24(0, 0, 0));
            Image<Rgb24> tile = cells[i].Image;
            sheet.Mutate(c => c.DrawImage(tile, new Point(x, y + labelH), 1f));
        }

        return sheet;
    }
}
