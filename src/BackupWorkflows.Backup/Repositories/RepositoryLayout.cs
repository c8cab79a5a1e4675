namespace BackupWorkflows.Backup.Repositories;

/// <summary>Where a backup's files live inside a repository.</summary>
/// <remarks>
/// <c>&lt;repo&gt;/&lt;vm&gt;/&lt;backup id&gt;/&lt;target&gt;.qcow2</c> plus <c>domain.xml</c>. One folder
/// per backup keeps deletes simple and a chain's backing paths absolute and stable; files are
/// written under a <c>.partial</c> name and renamed, so a file with the final name is complete.
/// </remarks>
public static class RepositoryLayout
{
    /// <summary>Suffix of files still being written.</summary>
    public const string PartialSuffix = ".partial";

    /// <summary>The folder of one backup.</summary>
    public static string BackupDir(string repositoryPath, string vmName, Guid backupId) =>
        Path.Combine(repositoryPath, SafeName(vmName), backupId.ToString("N"));

    /// <summary>The image of one volume of a backup.</summary>
    public static string VolumeImage(string repositoryPath, string vmName, Guid backupId, string target) =>
        Path.Combine(BackupDir(repositoryPath, vmName, backupId), SafeName(target) + ".qcow2");

    /// <summary>The stored domain XML of a backup.</summary>
    public static string DomainXml(string repositoryPath, string vmName, Guid backupId) =>
        Path.Combine(BackupDir(repositoryPath, vmName, backupId), "domain.xml");

    /// <summary>The staged copy of a full's volume on the host.</summary>
    public static string StagedImage(string stagingDir, Guid backupId, string target) =>
        Path.Combine(stagingDir, $"{backupId:N}-{SafeName(target)}.qcow2");

    /// <summary>The overlay a backup's snapshot creates next to the disk's base image on primary.</summary>
    public static string PrimaryDelta(string baseImagePath, Guid backupId) =>
        $"{PrimaryStem(baseImagePath)}.bwf-{backupId.ToString("N")[..12]}";

    /// <summary>Whether <paramref name="path"/> is an overlay made by <see cref="PrimaryDelta"/>.</summary>
    public static bool IsPrimaryDelta(string path) =>
        System.Text.RegularExpressions.Regex.IsMatch(path, @"\.bwf-[0-9a-f]{12}$");

    /// <summary>The overlay a VM snapshot puts on top of a disk (the image it froze stays below it).</summary>
    public static string SnapshotOverlay(string imagePath, Guid snapshotId) =>
        $"{PrimaryStem(imagePath)}.snap-{snapshotId.ToString("N")[..12]}";

    /// <summary>The overlay a revert puts on top of a snapshot's image; <paramref name="key"/> is 12 hex digits.</summary>
    public static string RevertOverlay(string imagePath, string key) => $"{PrimaryStem(imagePath)}.rev-{key}";

    /// <summary>Whether <paramref name="path"/> is an overlay this product made on primary (backup delta,
    /// snapshot or revert overlay): only those are ever merged away or deleted.</summary>
    public static bool IsOwnOverlay(string path) =>
        System.Text.RegularExpressions.Regex.IsMatch(path, @"\.(bwf|snap|rev)-[0-9a-f]{12}$");

    /// <summary>The disk's own image: <paramref name="path"/> without the overlay suffixes above.</summary>
    public static string PrimaryStem(string path) =>
        System.Text.RegularExpressions.Regex.Replace(path, @"(\.(bwf|snap|rev)-[0-9a-f]{12})+$", "");

    /// <summary>A name usable as one path segment: anything but letters, digits, '-', '_', '.' becomes '_'.</summary>
    public static string SafeName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var chars = name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray();
        var safe = new string(chars);
        return safe is "." or ".." ? safe.Replace('.', '_') : safe;
    }
}
