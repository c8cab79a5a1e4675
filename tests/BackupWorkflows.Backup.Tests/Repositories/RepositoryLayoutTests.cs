using BackupWorkflows.Backup.Repositories;

namespace BackupWorkflows.Backup.Tests.Repositories;

[Trait("Category", "Unit")]
public sealed class RepositoryLayoutTests
{
    [Fact]
    public void VolumeImage_OddVmName_StaysInsideItsBackupFolder()
    {
        var id = Guid.Parse("0123456789abcdef0123456789abcdef");
        var path = RepositoryLayout.VolumeImage("/repo", "../etc/x y'z", id, "vda");
        Assert.Equal("/repo/.._etc_x_y_z/0123456789abcdef0123456789abcdef/vda.qcow2", path);
        Assert.StartsWith("/repo/", Path.GetFullPath(path));
    }

    [Theory]
    [InlineData(".", "_")]
    [InlineData("..", "__")]
    [InlineData("vm-1.prod_a", "vm-1.prod_a")]
    public void SafeName_DotNames_CannotEscape(string name, string expected) =>
        Assert.Equal(expected, RepositoryLayout.SafeName(name));

    [Fact]
    public void PrimaryDelta_IsBesideTheBaseAndNamesTheBackup()
    {
        var id = Guid.Parse("aabbccddeeff00112233445566778899");
        Assert.Equal("/var/lib/vm disk/vda.qcow2.bwf-aabbccddeeff",
            RepositoryLayout.PrimaryDelta("/var/lib/vm disk/vda.qcow2", id));
    }
}
