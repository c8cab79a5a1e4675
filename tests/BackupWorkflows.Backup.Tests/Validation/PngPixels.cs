using System.Buffers.Binary;
using System.IO.Compression;

namespace BackupWorkflows.Backup.Tests.Validation;

/// <summary>Reads the RGB PNGs that <c>PngImage</c> writes (8-bit RGB, filter 0, one IDAT), for assertions on pixels.</summary>
internal static class PngPixels
{
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
        var rgb = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
        {
            Assert.Equal(0, bytes[y * (width * 3 + 1)]);
            Array.Copy(bytes, y * (width * 3 + 1) + 1, rgb, y * width * 3, width * 3);
        }
        return (width, height, rgb);
    }
}
