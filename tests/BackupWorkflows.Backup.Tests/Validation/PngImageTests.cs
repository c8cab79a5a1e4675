using System.Text;
using BackupWorkflows.Backup.Validation;

namespace BackupWorkflows.Backup.Tests.Validation;

[Trait("Category", "Unit")]
public sealed class PngImageTests
{
    [Fact]
    public void FromPpm_KeepsEveryPixel()
    {
        var header = Encoding.ASCII.GetBytes("P6\n# made by a test\n3 2\n255\n");
        byte[] pixels = [255, 0, 0, 0, 255, 0, 0, 0, 255, 1, 2, 3, 4, 5, 6, 200, 201, 202];
        var png = PngImage.FromPpm([.. header, .. pixels]);
        Assert.True(PngImage.IsPng(png));
        var (w, h, rgb) = PngPixels.Decode(png);
        Assert.Equal((3, 2), (w, h));
        Assert.Equal(pixels, rgb);
    }

    [Fact]
    public void FromPpm_TruncatedPixels_Throws() =>
        Assert.Throws<FormatException>(() => PngImage.FromPpm([.. Encoding.ASCII.GetBytes("P6 4 4 255\n"), 1, 2, 3]));
}
