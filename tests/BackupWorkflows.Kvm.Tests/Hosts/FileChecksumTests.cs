using BackupWorkflows.Kvm.Hosts;

namespace BackupWorkflows.Kvm.Tests.Hosts;

[Trait("Category", "Unit")]
public class FileChecksumTests
{
    private const string Hex = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03";

    [Fact]
    public void Parse_TaggedValue_RoundTrips() =>
        Assert.Equal($"blake3:{Hex}", FileChecksum.Parse($"blake3:{Hex.ToUpperInvariant()}").ToString());

    [Fact]
    public void Parse_BareHex_IsSha256() => Assert.Equal(new FileChecksum("sha256", Hex), FileChecksum.Parse(Hex));

    [Theory]
    [InlineData("md5:" + Hex, "unknown algorithm 'md5'")]
    [InlineData("sha256:abc", "not 64 hex digits")]
    [InlineData("blake3:" + "zz" + "91b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03", "not 64 hex digits")]
    public void Parse_Malformed_SaysWhy(string text, string why) =>
        Assert.Contains(why, Assert.Throws<FormatException>(() => FileChecksum.Parse(text)).Message);
}
