using System.Text.Json;

namespace BackupWorkflows.Kvm.Images;

/// <summary>The result of <c>qemu-img check --output=json</c>.</summary>
/// <param name="Filename">Checked image.</param>
/// <param name="Format">Its format.</param>
/// <param name="Corruptions">Corrupted metadata entries (0 when healthy).</param>
/// <param name="Leaks">Leaked clusters (wasted space, harmless to data).</param>
/// <param name="CheckErrors">Errors that stopped parts of the check.</param>
/// <param name="AllocatedClusters">Clusters in use, when reported.</param>
/// <param name="TotalClusters">Clusters the image can hold, when reported.</param>
/// <param name="ImageEndOffset">End of the image's data in its file, when reported.</param>
public sealed record ImageCheck(
    string Filename,
    string Format,
    long Corruptions,
    long Leaks,
    long CheckErrors,
    long? AllocatedClusters,
    long? TotalClusters,
    long? ImageEndOffset)
{
    /// <summary>No corruption and no check error (leaks are tolerated: they waste space, not data).</summary>
    public bool IsHealthy => Corruptions == 0 && CheckErrors == 0;

    internal static ImageCheck FromJson(JsonElement e) => new(
        e.GetProperty("filename").GetString()!,
        e.GetProperty("format").GetString()!,
        Json.Int64(e, "corruptions") ?? 0,
        Json.Int64(e, "leaks") ?? 0,
        Json.Int64(e, "check-errors") ?? 0,
        Json.Int64(e, "allocated-clusters"),
        Json.Int64(e, "total-clusters"),
        Json.Int64(e, "image-end-offset"));
}

/// <summary>One extent of <c>qemu-img map --output=json</c>.</summary>
/// <param name="Start">Guest offset in bytes.</param>
/// <param name="Length">Length in bytes.</param>
/// <param name="Depth">Chain depth the data comes from (0 = the top image).</param>
/// <param name="Present">Whether some image in the chain holds it.</param>
/// <param name="Zero">Reads as zeros.</param>
/// <param name="Data">Holds data (not just zeros).</param>
/// <param name="Offset">Host offset in the file holding it, when known.</param>
public sealed record ImageMapExtent(long Start, long Length, int Depth, bool Present, bool Zero, bool Data, long? Offset)
{
    internal static ImageMapExtent FromJson(JsonElement e) => new(
        e.GetProperty("start").GetInt64(),
        e.GetProperty("length").GetInt64(),
        e.GetProperty("depth").GetInt32(),
        Json.Bool(e, "present") ?? true,
        e.GetProperty("zero").GetBoolean(),
        e.GetProperty("data").GetBoolean(),
        Json.Int64(e, "offset"));
}

/// <summary>The result of <c>qemu-img measure --output=json</c>: bytes a converted image needs.</summary>
/// <param name="Required">Bytes needed for the data actually present.</param>
/// <param name="FullyAllocated">Bytes needed if every cluster were allocated.</param>
public sealed record ImageMeasurement(long Required, long FullyAllocated)
{
    internal static ImageMeasurement FromJson(JsonElement e) =>
        new(e.GetProperty("required").GetInt64(), e.GetProperty("fully-allocated").GetInt64());
}

/// <summary>The outcome of <c>qemu-img compare</c>.</summary>
public enum ImageComparison
{
    /// <summary>Exit code 0: the guest-visible contents are identical.</summary>
    Identical,

    /// <summary>Exit code 1: the contents differ.</summary>
    Different,
}
