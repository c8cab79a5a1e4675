using BackupWorkflows.Kvm.Images;

namespace BackupWorkflows.Kvm.Tests.Images;

[Trait("Category", "Unit")]
public sealed class QemuImgProgressTests
{
    [Theory]
    [InlineData("    (0.00/100%)", 0.0)]
    [InlineData("    (41.67/100%)", 41.67)]
    [InlineData("(100.00/100%)", 100.0)]
    public void TryParse_ProgressLine_GivesPercent(string line, double expected)
    {
        Assert.True(QemuImgProgress.TryParse(line, out var percent));
        Assert.Equal(expected, percent, 3);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Image committed.")]
    [InlineData("qemu-img: Could not open '(1.00/100%)'")]
    public void TryParse_OtherOutput_IsIgnored(string line) => Assert.False(QemuImgProgress.TryParse(line, out _));
}
