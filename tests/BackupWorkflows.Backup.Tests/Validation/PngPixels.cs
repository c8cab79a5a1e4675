using System.Buffers.Binary;
using System.IO.Compression;

namespace BackupWorkflows.Backup.Tests.Validation;

/// <summary>Reads the RGB PNGs that <c>PngImage</c> writes and QEMU's (8-bit RGB, any filter), for assertions on pixels.</summary>
internal static class PngPixels
{
    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    public static (int Width, int Height, byte[] Rgb) Decode(byte[] png)
    {
        var pos = 8;
        int width = 0, height = 0;
        using var idat = new MemoryStream();
        while (pos < png.Length)
        {
            var len = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(pos));
            var type = System.Text.Encoding.ASCII.GetString(png, pos + 4, 4);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(pos + 8));
                height = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(pos + 12));
            }
            if (type == "IDAT") idat.Write(png, pos + 8, len);
            pos += 12 + len;
        }
        idat.Position = 0;
        using var z = new ZLibStream(idat, CompressionMode.Decompress);
        using var raw = new MemoryStream();
        z.CopyTo(raw);
        var bytes = raw.ToArray();
        // Undo the per-row filters (PNG spec 9.2): QEMU's own PNGs use all of them.
        var stride = width * 3;
        var rgb = new byte[stride * height];
        for (var y = 0; y < height; y++)
        {
            var filter = bytes[y * (stride + 1)];
            for (var x = 0; x < stride; x++)
            {
                int v = bytes[y * (stride + 1) + 1 + x];
                int a = x >= 3 ? rgb[y * stride + x - 3] : 0, b = y > 0 ? rgb[(y - 1) * stride + x] : 0;
                int c = x >= 3 && y > 0 ? rgb[(y - 1) * stride + x - 3] : 0;
                rgb[y * stride + x] = (byte)(filter switch
                {
                    0 => v,
                    1 => v + a,
                    2 => v + b,
                    3 => v + (a + b) / 2,
                    4 => v + Paeth(a, b, c),
                    _ => throw new FormatException($"PNG filter {filter}"),
                });
            }
        }
        return (width, height, rgb);
    }
}
