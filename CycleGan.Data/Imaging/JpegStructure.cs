namespace CycleGan.Data.Imaging;

/// <summary>
/// Walks a JPEG's marker segments to tell whether it reaches its end-of-image marker. ImageSharp 2.x decodes a
/// cut-off JPEG without complaint (the missing rows come out grey), so truncation has to be found here. Walking the
/// segments, rather than looking at the last bytes, accepts files with data appended after the image (phones append
/// whole videos) and is not fooled by an embedded thumbnail's own end marker.
/// </summary>
internal static class JpegStructure
{
    public static bool HasEndOfImage(ReadOnlySpan<byte> data)
    {
        if (data.Length < 4 || data[0] != 0xFF || data[1] != 0xD8)
        {
            return false;
        }

        int i = 2;
        while (i + 1 < data.Length)
        {
            if (data[i] != 0xFF)
            {
                return false; // lost sync: treat as corrupt
            }

            byte marker = data[i + 1];
            if (marker == 0xFF)
            {
                i++; // fill byte
                continue;
            }

            if (marker == 0xD9)
            {
                return true;
            }

            if (marker is >= 0xD0 and <= 0xD7 or 0x01)
            {
                i += 2; // restart markers and TEM stand alone
                continue;
            }

            if (i + 3 >= data.Length)
            {
                return false;
            }

            int length = (data[i + 2] << 8) | data[i + 3];
            i += 2 + length;
            if (marker == 0xDA)
            {
                // Entropy-coded data follows the scan header: 0xFF is always followed by 0x00 (a stuffed byte) or a
                // restart marker there, so the next other marker ends the scan.
                while (i + 1 < data.Length && !(data[i] == 0xFF && data[i + 1] != 0x00 && data[i + 1] is not (>= 0xD0 and <= 0xD7)))
                {
                    i++;
                }
            }
        }

        return false;
    }
}
