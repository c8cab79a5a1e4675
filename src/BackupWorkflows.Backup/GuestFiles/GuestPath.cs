using System.Globalization;
using System.Text;

namespace BackupWorkflows.Backup.GuestFiles;

/// <summary>
/// Names and paths of a guest file system as bytes: a Linux name is any bytes but NUL and <c>/</c>,
/// not necessarily UTF-8. Users see them escaped (<see cref="Escape"/>): printable UTF-8 stays as
/// it is, a backslash is <c>\\</c>, and every other byte (control characters, invalid UTF-8) is
/// <c>\xNN</c>; <see cref="Parse"/> reads that form back, so every listed name can be asked for.
/// </summary>
public static class GuestPath
{
    /// <summary>A path as the user wrote it (escaped form, <c>/</c>-separated; relative means from the
    /// root), as its components' bytes. <c>.</c>, <c>..</c> and empty components are kept: they are
    /// resolved against the file system (<see cref="GuestFileSystem"/>), never textually.</summary>
    /// <exception cref="BrowseInputException">A bad escape or a NUL byte.</exception>
    public static IReadOnlyList<byte[]> Parse(string? text, string field = "path")
    {
        var bytes = Unescape(text ?? "/", field);
        var parts = new List<byte[]>();
        var start = 0;
        for (var i = 0; i <= bytes.Length; i++)
        {
            if (i < bytes.Length && bytes[i] != (byte)'/') continue;
            if (i > start) parts.Add(bytes[start..i]);
            start = i + 1;
        }
        return parts;
    }

    /// <summary>The bytes of an escaped name or path.</summary>
    /// <exception cref="BrowseInputException">A bad escape or a NUL byte.</exception>
    public static byte[] Unescape(string text, string field)
    {
        using var bytes = new MemoryStream();
        var utf8 = new byte[4];
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0') throw new BrowseInputException(field, "contains a NUL character; no Linux name can.");
            if (c != '\\')
            {
                var n = Encoding.UTF8.GetBytes(text.AsSpan(i, char.IsHighSurrogate(c) && i + 1 < text.Length ? 2 : 1), utf8);
                if (n > 0 && char.IsHighSurrogate(c)) i++;
                bytes.Write(utf8, 0, n);
                continue;
            }

            if (i + 1 < text.Length && text[i + 1] == '\\') { bytes.WriteByte((byte)'\\'); i++; continue; }
            if (i + 3 < text.Length && text[i + 1] == 'x'
                && byte.TryParse(text.AsSpan(i + 2, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b) && b != 0)
            {
                bytes.WriteByte(b);
                i += 3;
                continue;
            }

            throw new BrowseInputException(field, @"has a backslash that is neither '\\' nor '\xNN' (a non-zero byte in hex).");
        }
        return bytes.ToArray();
    }

    /// <summary>The escaped, printable form of a name or path.</summary>
    public static string Escape(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder(bytes.Length);
        var i = 0;
        while (i < bytes.Length)
        {
            var status = Rune.DecodeFromUtf8(bytes[i..], out var rune, out var length);
            if (status == System.Buffers.OperationStatus.Done && rune.Value == '\\') text.Append(@"\\");
            else if (status == System.Buffers.OperationStatus.Done && !Rune.IsControl(rune)
                     && Rune.GetUnicodeCategory(rune) is not (UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator))
                text.Append(rune.ToString());
            else
            {
                // Invalid UTF-8 (one byte at a time) and invisible or line-breaking characters (all their bytes).
                length = status == System.Buffers.OperationStatus.Done ? length : 1;
                foreach (var b in bytes.Slice(i, length)) text.Append(CultureInfo.InvariantCulture, $"\\x{b:x2}");
            }
            i += length;
        }
        return text.ToString();
    }

    /// <summary>The escaped path of components below the root: <c>/a/b</c>, or <c>/</c> for none.</summary>
    public static string Join(IEnumerable<byte[]> components)
    {
        var parts = components.Select(p => Escape(p)).ToList();
        return parts.Count == 0 ? "/" : "/" + string.Join('/', parts);
    }

    /// <summary>
    /// A host path as one shell argument that passes any bytes: every byte outside
    /// <c>[A-Za-z0-9._/-]</c> becomes <c>\0NNN</c> (octal), which the host's <c>printf '%b'</c> turns
    /// back into the byte (see <see cref="GuestFileSystem"/>). Process arguments are text (UTF-8), so
    /// a name that is not UTF-8 cannot be passed any other way.
    /// </summary>
    public static string ForPrintf(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder(bytes.Length);
        foreach (var b in bytes)
        {
            if (b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9'
                or (byte)'.' or (byte)'_' or (byte)'/' or (byte)'-')
                text.Append((char)b);
            else text.Append(CultureInfo.InvariantCulture, $"\\0{Convert.ToString(b, 8).PadLeft(3, '0')}");
        }
        return text.ToString();
    }
}
