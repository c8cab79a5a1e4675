using System.Text.Json;

namespace BackupWorkflows.Kvm.Images;

/// <summary>One image as <c>qemu-img info --output=json</c> describes it.</summary>
/// <param name="Filename">The image's file name as qemu-img was given (or resolved) it.</param>
/// <param name="Format">Image format: <c>qcow2</c>, <c>raw</c>, …</param>
/// <param name="VirtualSize">Guest-visible size in bytes.</param>
/// <param name="ActualSize">Bytes allocated on the host file system, when known.</param>
/// <param name="ClusterSize">Cluster size in bytes (qcow2), when known.</param>
/// <param name="BackingFilename">Backing file as recorded in the image (may be relative), or null.</param>
/// <param name="FullBackingFilename">Backing file resolved to a path, or null.</param>
/// <param name="BackingFormat">Recorded format of the backing file, or null.</param>
/// <param name="CompressionType">qcow2 compression type (<c>zlib</c> or <c>zstd</c>), or null.</param>
/// <param name="Corrupt">qcow2 corrupt flag, when reported.</param>
/// <param name="DirtyFlag">Whether the image was not closed cleanly, when reported.</param>
public sealed record ImageInfo(
    string Filename,
    string Format,
    long VirtualSize,
    long? ActualSize,
    long? ClusterSize,
    string? BackingFilename,
    string? FullBackingFilename,
    string? BackingFormat,
    string? CompressionType,
    bool? Corrupt,
    bool? DirtyFlag)
{
    /// <summary>Reads one image object of qemu-img's JSON.</summary>
    internal static ImageInfo FromJson(JsonElement e)
    {
        var specific = e.TryGetProperty("format-specific", out var fs) && fs.TryGetProperty("data", out var data)
            ? data
            : default;
        return new ImageInfo(
            Filename: e.GetProperty("filename").GetString()!,
            Format: e.GetProperty("format").GetString()!,
            VirtualSize: e.GetProperty("virtual-size").GetInt64(),
            ActualSize: Json.Int64(e, "actual-size"),
            ClusterSize: Json.Int64(e, "cluster-size"),
            BackingFilename: Json.String(e, "backing-filename"),
            FullBackingFilename: Json.String(e, "full-backing-filename"),
            BackingFormat: Json.String(e, "backing-filename-format"),
            CompressionType: Json.String(specific, "compression-type"),
            Corrupt: Json.Bool(specific, "corrupt"),
            DirtyFlag: Json.Bool(e, "dirty-flag"));
    }
}

/// <summary>Tolerant readers for optional JSON properties.</summary>
internal static class Json
{
    public static string? String(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public static long? Int64(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : null;

    public static bool? Bool(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? v.GetBoolean()
            : null;
}
