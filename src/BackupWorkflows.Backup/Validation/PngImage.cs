using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace BackupWorkflows.Backup.Validation;

/// <summary>
/// Converts the binary PPM (P6) that QEMU's screendump writes into a PNG, so the API can serve
/// screenshots to browsers without an image tool on the host (none is installed there).
/// </summary>
public static class PngImage
{
    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>True when <paramref name="data"/> already is a PNG.</summary>
    public static bool IsPng(ReadOnlySpan<byte> data) => data.StartsWith(Signature);

    /// <summary>PNG bytes of a P6 PPM image (8-bit RGB); a PNG is returned unchanged.</summary>
    /// <exception cref="FormatException">Neither PNG nor 8-bit P6.</exception>
    public static byte[] FromPpm(byte[] data)
    {
        if (IsPng(data)) return data;
        var pos = 0;
        if (Token(data, ref pos) != "P6") throw new FormatException("not a binary PPM (P6) image");
        var width = int.Parse(Token(data, ref pos), System.Globalization.CultureInfo.InvariantCulture);
        var height = int.Parse(Token(data, ref pos), System.Globalization.CultureInfo.InvariantCulture);
        var max = int.Parse(Token(data, ref pos), System.Globalization.CultureInfo.InvariantCulture);
        if (max != 255 || width <= 0 || height <= 0) throw new FormatException($"unsupported PPM {width}x{height} max {max}");
        pos++; // the single whitespace after maxval
        var row = width * 3;
        if (data.Length - pos < row * height) throw new FormatException("PPM pixel data is truncated");

        using var raw = new MemoryStream();
        using (var z = new ZLibStream(raw, CompressionLevel.Optimal, leaveOpen: true))
            for (var y = 0; y < height; y++)
            {
                z.WriteByte(0); // filter: none
                z.Write(data, pos + y * row, row);
            }
        using var png = new MemoryStream();
        png.Write(Signature);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 2; // colour type RGB
        Chunk(png, "IHDR", header);
        Chunk(png, "IDAT", raw.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream s, string type, byte[] body)
    {
        Span<byte> len = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(len, body.Length);
        s.Write(len);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        s.Write(typeBytes);
        s.Write(body);
        var crc = Crc(Crc(0xFFFFFFFFu, typeBytes), body) ^ 0xFFFFFFFFu;
        BinaryPrimitives.WriteUInt32BigEndian(len, crc);
        s.Write(len);
    }

    private static readonly uint[] CrcTable = Enumerable.Range(0, 256).Select(n =>
    {
        var c = (uint)n;
        for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        return c;
    }).ToArray();

    // CRC-32 as PNG defines it (ISO 3309); System.IO.Hashing is a separate package we do not ship.
    private static uint Crc(uint crc, ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes) crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    private static string Token(byte[] d, ref int pos)
    {
        while (pos < d.Length)
        {
            if (d[pos] == '#') { while (pos < d.Length && d[pos] != '\n') pos++; }
            else if (char.IsWhiteSpace((char)d[pos])) pos++;
            else break;
        }
        var start = pos;
        while (pos < d.Length && !char.IsWhiteSpace((char)d[pos])) pos++;
        return Encoding.ASCII.GetString(d, start, pos - start);
    }
}
