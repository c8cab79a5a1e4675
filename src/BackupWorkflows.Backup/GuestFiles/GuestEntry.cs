using System.Globalization;
using System.Text;

namespace BackupWorkflows.Backup.GuestFiles;

/// <summary>What a directory entry is (as <c>find -printf %y</c> tells).</summary>
public enum GuestEntryType
{
    /// <summary>Regular file: the only type whose content is ever read.</summary>
    File,
    /// <summary>Directory.</summary>
    Directory,
    /// <summary>Symbolic link (its target is shown, resolved only inside the guest file system).</summary>
    Symlink,
    /// <summary>Block device (listed, never read).</summary>
    BlockDevice,
    /// <summary>Character device (listed, never read).</summary>
    CharDevice,
    /// <summary>FIFO (listed, never read).</summary>
    Fifo,
    /// <summary>Socket (listed, never read).</summary>
    Socket,
    /// <summary>Anything else.</summary>
    Other,
}

/// <summary>One file of a guest file system, as listed or stat'ed (never following a symlink).</summary>
/// <param name="Name">Name bytes (escape with <see cref="GuestPath.Escape"/> to show).</param>
/// <param name="Type">What it is.</param>
/// <param name="Size">Size in bytes (of the link itself for a symlink).</param>
/// <param name="Mode">Permission bits (octal as <c>0644</c> in <see cref="ModeText"/>).</param>
/// <param name="Uid">Owner as the guest's numeric user id (names live in the guest's own /etc/passwd).</param>
/// <param name="Gid">Group as the guest's numeric group id.</param>
/// <param name="ModifiedAt">Last modification time.</param>
/// <param name="LinkTarget">A symlink's target bytes as stored; null for other types.</param>
public sealed record GuestEntry(byte[] Name, GuestEntryType Type, long Size, int Mode, long Uid, long Gid, DateTimeOffset ModifiedAt, byte[]? LinkTarget)
{
    /// <summary>Fields <c>find -printf</c> writes per entry, each ended by NUL: the name as
    /// <paramref name="nameDirective"/> gives it (<c>%f</c> name, <c>%p</c> path, <c>%P</c> path below the
    /// start), type, size, mode, uid, gid, mtime (seconds with fraction), link target.</summary>
    public static string FindFormat(string nameDirective = "%f") => nameDirective + @"\0%y\0%s\0%m\0%U\0%G\0%T@\0%l\0";

    private const int Fields = 8;

    /// <summary>The mode as four octal digits.</summary>
    public string ModeText => Convert.ToString(Mode, 8).PadLeft(4, '0');

    /// <summary>Whether its content may be read: regular files only.</summary>
    public bool IsReadable => Type == GuestEntryType.File;

    /// <summary>Parses the output of <c>find … -printf <see cref="FindFormat"/></c>.</summary>
    /// <exception cref="FormatException">Output that is not whole records.</exception>
    public static List<GuestEntry> ParseFind(ReadOnlySpan<byte> output)
    {
        var entries = new List<GuestEntry>();
        var fields = new byte[Fields][];
        var field = 0;
        while (!output.IsEmpty)
        {
            var end = output.IndexOf((byte)0);
            if (end < 0) throw new FormatException("find output ends inside a record");
            fields[field++] = output[..end].ToArray();
            output = output[(end + 1)..];
            if (field < Fields) continue;
            field = 0;
            var type = TypeOf(Text(fields[1]));
            entries.Add(new GuestEntry(
                fields[0], type, long.Parse(Text(fields[2]), CultureInfo.InvariantCulture),
                Convert.ToInt32(Text(fields[3]), 8),
                long.Parse(Text(fields[4]), CultureInfo.InvariantCulture), long.Parse(Text(fields[5]), CultureInfo.InvariantCulture),
                DateTimeOffset.FromUnixTimeMilliseconds((long)(decimal.Parse(Text(fields[6]), CultureInfo.InvariantCulture) * 1000)),
                type == GuestEntryType.Symlink ? fields[7] : null));
        }
        if (field != 0) throw new FormatException("find output ends inside a record");
        return entries;
    }

    private static string Text(byte[] bytes) => Encoding.ASCII.GetString(bytes);

    private static GuestEntryType TypeOf(string letter) => letter switch
    {
        "f" => GuestEntryType.File,
        "d" => GuestEntryType.Directory,
        "l" => GuestEntryType.Symlink,
        "b" => GuestEntryType.BlockDevice,
        "c" => GuestEntryType.CharDevice,
        "p" => GuestEntryType.Fifo,
        "s" => GuestEntryType.Socket,
        _ => GuestEntryType.Other,
    };
}
