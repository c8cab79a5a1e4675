namespace BackupWorkflows.Backup.Compression;

/// <summary>
/// Files of a compression next to the image: <c>.compressing</c> while qemu-img writes,
/// <c>.compressed</c> once it was compared equal and fsynced. Only a <c>.compressed</c> file ever
/// replaces the image, so the original is intact until a verified copy exists.
/// </summary>
public static class CompressionPaths
{
    /// <summary>Being written; deleted and redone when found after a crash.</summary>
    public static string Writing(string image) => image + ".compressing";

    /// <summary>Verified equal to the image and synced; renamed over the image to finish.</summary>
    public static string Verified(string image) => image + ".compressed";
}
