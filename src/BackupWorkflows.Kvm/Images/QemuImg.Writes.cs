using System.Globalization;
using BackupWorkflows.Kvm.Hosts;

namespace BackupWorkflows.Kvm.Images;

/// <summary>The qemu-img calls that write image data: convert, commit, rebase.</summary>
public sealed partial class QemuImg
{
    /// <summary>Copies an image (with its backing chain flattened, or onto <see cref="ConvertOptions.BackingFile"/>)
    /// into a new target (<c>convert</c>), optionally compressed, rate-limited and reporting progress.</summary>
    public Task ConvertAsync(string source, string target, ConvertOptions? options = null, CancellationToken cancellationToken = default)
    {
        var o = options ?? new ConvertOptions();
        List<string> args = [_program, "convert", "-p"];
        AddFormat(args, o.SourceFormat);
        args.AddRange(["-O", o.TargetFormat]);
        if (o.ForceShare)
        {
            args.Add("-U");
        }

        if (o.TargetCacheMode is { } cache)
        {
            args.AddRange(["-t", cache]);
        }

        if (o.Compress)
        {
            args.Add("-c");
        }

        if (o.CompressionType is { } type)
        {
            args.AddRange(["-o", $"compression_type={type}"]);
        }

        if (o.Coroutines is { } m)
        {
            args.AddRange(["-m", m.ToString(CultureInfo.InvariantCulture)]);
        }

        if (o.OutOfOrderWrites)
        {
            args.Add("-W");
        }

        if (o.RateLimitBytesPerSecond is > 0 and var rate)
        {
            args.AddRange(["-r", rate.ToString(CultureInfo.InvariantCulture)]);
        }

        // convert spells the backing file -B (create and rebase use -b).
        AddBacking(args, o.BackingFile, o.BackingFormat, "-B");
        args.AddRange([source, target]);
        return _shell.RunAsync(args, ProgressOptions(o.OnProgress, o.Timeout), cancellationToken);
    }

    /// <summary>Commits an image's data into its backing file (<c>commit</c>), or into
    /// <paramref name="baseImage"/> further down the chain (<c>-b</c>). The image itself is left
    /// in place; the caller drops or rebases it.</summary>
    /// <param name="path">Top image whose data is committed.</param>
    /// <param name="baseImage">Target further down the chain; null for the immediate backing file.</param>
    /// <param name="format">Format of <paramref name="path"/>, or null to probe.</param>
    /// <param name="onProgress">Progress in percent, or null.</param>
    /// <param name="rateLimitBytesPerSecond">Rate limit (<c>-r</c>), or null.</param>
    /// <param name="keepTop">Leave the top image's data in place (<c>-d</c>); by default qemu-img empties it
    /// when committing into its immediate backing file.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    public Task CommitAsync(
        string path, string? baseImage = null, string? format = null, Action<double>? onProgress = null,
        long? rateLimitBytesPerSecond = null, bool keepTop = false, CancellationToken cancellationToken = default)
    {
        List<string> args = [_program, "commit", "-p"];
        if (keepTop)
        {
            args.Add("-d");
        }

        AddFormat(args, format);
        if (baseImage is not null)
        {
            args.AddRange(["-b", baseImage]);
        }

        if (rateLimitBytesPerSecond is > 0 and var rate)
        {
            args.AddRange(["-r", rate.ToString(CultureInfo.InvariantCulture)]);
        }

        args.Add(path);
        return _shell.RunAsync(args, ProgressOptions(onProgress, null), cancellationToken);
    }

    /// <summary>Changes only the recorded backing file of an image (<c>rebase -u -b BACKING -F FMT</c>):
    /// no data is read or written, so the caller guarantees the new backing file has the same
    /// contents as the old one (e.g. the backup copy of the same delta).</summary>
    /// <param name="path">Image to change.</param>
    /// <param name="backingFile">New backing file, recorded as given (relative paths are relative to the image).</param>
    /// <param name="backingFormat">Its format.</param>
    /// <param name="format">Format of <paramref name="path"/>, or null to probe.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    public Task RebaseUnsafeAsync(
        string path, string backingFile, string backingFormat, string? format = null, CancellationToken cancellationToken = default)
    {
        List<string> args = [_program, "rebase", "-u"];
        AddFormat(args, format);
        args.AddRange(["-b", backingFile, "-F", backingFormat, path]);
        return _shell.RunAsync(args, null, cancellationToken);
    }

    private static HostCommandOptions ProgressOptions(Action<double>? onProgress, TimeSpan? timeout) =>
        new() { OnOutputLine = QemuImgProgress.Forwarder(onProgress), Timeout = timeout };
}
