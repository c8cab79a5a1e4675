using System.Text;
using BackupWorkflows.Backup.GuestFiles;

namespace BackupWorkflows.Backup.Tests.GuestFiles;

[Trait("Category", "Unit")]
public sealed class GuestPathTests
{
    [Theory]
    [InlineData(new byte[] { (byte)'a', 0x01, (byte)'b' }, @"a\x01b")]
    [InlineData(new byte[] { 0xff, 0xfe }, @"\xff\xfe")]
    [InlineData(new byte[] { (byte)'a', (byte)'\\', (byte)'n' }, @"a\\n")]
    [InlineData(new byte[] { (byte)'l', (byte)'\n' }, @"l\x0a")]
    [InlineData(new byte[] { 0xc3, 0xa9, (byte)' ', 0xe2, 0x80, 0xae }, @"é \xe2\x80\xae")]
    public void Escape_ShowsOddBytesAsHex_AndParseReadsThemBack(byte[] name, string shown)
    {
        Assert.Equal(shown, GuestPath.Escape(name));
        Assert.Equal(name, Assert.Single(GuestPath.Parse(shown)));
    }

    [Fact]
    public void Parse_KeepsDotsForTheResolver_DropsEmptyComponents()
    {
        var parts = GuestPath.Parse("//etc/./../x/").Select(p => Encoding.UTF8.GetString(p));
        Assert.Equal(["etc", ".", "..", "x"], parts);
        Assert.Empty(GuestPath.Parse("/"));
    }

    [Theory]
    [InlineData(@"/a\q", "path")]
    [InlineData(@"/a\x00", "path")]
    [InlineData("/a\0b", "path")]
    [InlineData(@"/a\", "path")]
    public void Parse_RefusesBadEscapesAndNul_NamingTheField(string text, string field)
    {
        var e = Assert.Throws<BrowseInputException>(() => GuestPath.Parse(text));
        Assert.Equal(field, e.Field);
    }

    [Fact]
    public void ForPrintf_PassesEveryByteAsOctalOutsideTheSafeSet()
    {
        Assert.Equal(@"/run/x/a\0040b\0001\0377\0047", GuestPath.ForPrintf([.. "/run/x/a b"u8, 0x01, 0xff, (byte)'\'']));
    }

    [Fact]
    public void ParseFind_ReadsNulSeparatedRecords_WithOddNamesAndLinkTargets()
    {
        byte[] output = [.. "a\nb\0f\0003\0644\00\00\01700000000.5\0\0"u8, .. "l\0l\07\0777\01000\01000\01700000000.0\0../x\0"u8];
        var entries = GuestEntry.ParseFind(output);
        Assert.Equal(2, entries.Count);
        Assert.Equal(("a\nb", GuestEntryType.File, 3L, "0644", (byte[]?)null), (Encoding.UTF8.GetString(entries[0].Name), entries[0].Type, entries[0].Size, entries[0].ModeText, entries[0].LinkTarget));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1700000000500), entries[0].ModifiedAt);
        Assert.Equal((GuestEntryType.Symlink, 1000L, "../x"), (entries[1].Type, entries[1].Uid, Encoding.UTF8.GetString(entries[1].LinkTarget!)));
        Assert.Throws<FormatException>(() => GuestEntry.ParseFind("x\0f\0"u8));
    }
}
