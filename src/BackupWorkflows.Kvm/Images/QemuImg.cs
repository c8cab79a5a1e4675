using System.Globalization;
using System.Text.Json;
using BackupWorkflows.Kvm.Hosts;

namespace BackupWorkflows.Kvm.Images;

/// <summary>
/// <c>qemu-img</c> on a host as typed calls. Every call is an argument list; every result is read
/// from <c>--output=json</c>. Failures are <see cref="HostCommandException"/>s naming host and command.
/// </summary>
public sealed partial class QemuImg
{
    private readonly IHostShell _shell;
    private readonly string _program;

    /// <summary>Runs qemu-img through <paramref name="shell"/>.</summary>
    /// <param name="shell">The host.</param>
    /// <param name="program">Program name or path on the host. Default <c>qemu-img</c>.</param>
    public QemuImg(IHostShell shell, string program = "qemu-img")
    {
        _shell = shell ?? throw new ArgumentNullException(nameof(shell));
        _program = program;
    }

    /// <summary>Describes one image (<c>info --output=json</c>).</summary>
    /// <param name="path">Image file.</param>
    /// <param name="forceShare">Open with shared locks (<c>-U</c>): needed for images a running VM holds.</param>
    /// <param name="format">Image format (<c>-f</c>), or null to probe.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    public async Task<ImageInfo> InfoAsync(string path, bool forceShare = false, string? format = null, CancellationToken cancellationToken = default)
    {
        using var json = await RunJsonAsync(InfoArguments(path, false, forceShare, format), null, cancellationToken).ConfigureAwait(false);
        return ImageInfo.FromJson(json.RootElement);
    }

    /// <summary>Describes an image and every backing file below it, top first (<c>info --backing-chain</c>).</summary>
    public async Task<IReadOnlyList<ImageInfo>> BackingChainAsync(
        string path, bool forceShare = false, string? format = null, CancellationToken cancellationToken = default)
    {
        using var json = await RunJsonAsync(InfoArguments(path, true, forceShare, format), null, cancellationToken).ConfigureAwait(false);
        return json.RootElement.EnumerateArray().Select(ImageInfo.FromJson).ToList();
    }

    /// <summary>Checks an image's metadata (<c>check --output=json</c>). Corruptions and leaks are
    /// reported in the result, not thrown; an image that cannot be checked at all throws.</summary>
    public async Task<ImageCheck> CheckAsync(
        string path, string? format = null, bool forceShare = false, CancellationToken cancellationToken = default)
    {
        // Exit codes: 0 clean, 2 corruptions, 3 leaks only; 1 (check failed) and 63 (unsupported) throw.
        List<string> args = [_program, "check", "--output=json"];
        AddFormat(args, format);
        if (forceShare)
        {
            args.Add("-U");
        }

        args.Add(path);
        using var json = await RunJsonAsync(args, new HostCommandOptions { SuccessExitCodes = [0, 2, 3] }, cancellationToken)
            .ConfigureAwait(false);
        return ImageCheck.FromJson(json.RootElement);
    }

    /// <summary>Creates an image (<c>create -f FORMAT [-b BACKING -F FMT] PATH [SIZE]</c>).</summary>
    /// <param name="path">New image file.</param>
    /// <param name="format">Its format, e.g. <c>qcow2</c>.</param>
    /// <param name="sizeBytes">Virtual size; null to inherit the backing file's size.</param>
    /// <param name="backingFile">Backing file, or null.</param>
    /// <param name="backingFormat">Backing file's format; required with <paramref name="backingFile"/>.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    public Task CreateAsync(
        string path, string format = "qcow2", long? sizeBytes = null, string? backingFile = null, string? backingFormat = null,
        CancellationToken cancellationToken = default)
    {
        if (sizeBytes is null && backingFile is null)
        {
            throw new ArgumentException("An image without a backing file needs a size.", nameof(sizeBytes));
        }

        List<string> args = [_program, "create", "-q", "-f", format];
        AddBacking(args, backingFile, backingFormat);
        args.Add(path);
        if (sizeBytes is { } size)
        {
            args.Add(size.ToString(CultureInfo.InvariantCulture));
        }

        return _shell.RunAsync(args, null, cancellationToken);
    }

    /// <summary>Compares the guest-visible contents of two images (<c>compare</c>).</summary>
    /// <param name="first">First image.</param>
    /// <param name="second">Second image.</param>
    /// <param name="strict">Also treat differing sizes or allocation as different (<c>-s</c>).</param>
    /// <param name="forceShare">Open with shared locks (<c>-U</c>).</param>
    /// <param name="firstFormat">Format of <paramref name="first"/> (<c>-f</c>), or null to probe.</param>
    /// <param name="secondFormat">Format of <paramref name="second"/> (<c>-F</c>), or null to probe.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    public async Task<ImageComparison> CompareAsync(
        string first, string second, bool strict = false, bool forceShare = false, string? firstFormat = null, string? secondFormat = null,
        CancellationToken cancellationToken = default)
    {
        List<string> args = [_program, "compare", "-q"];
        AddFormat(args, firstFormat);
        if (secondFormat is not null)
        {
            args.AddRange(["-F", secondFormat]);
        }

        if (strict)
        {
            args.Add("-s");
        }

        if (forceShare)
        {
            args.Add("-U");
        }

        args.AddRange([first, second]);
        // 0 identical, 1 different; 2 and above are errors and throw.
        var result = await _shell.RunAsync(args, new HostCommandOptions { SuccessExitCodes = [0, 1] }, cancellationToken).ConfigureAwait(false);
        return result.ExitCode == 0 ? ImageComparison.Identical : ImageComparison.Different;
    }

    /// <summary>Lists where an image's data lives (<c>map --output=json</c>).</summary>
    public async Task<IReadOnlyList<ImageMapExtent>> MapAsync(
        string path, bool forceShare = false, CancellationToken cancellationToken = default)
    {
        List<string> args = [_program, "map", "--output=json"];
        if (forceShare)
        {
            args.Add("-U");
        }

        args.Add(path);
        using var json = await RunJsonAsync(args, null, cancellationToken).ConfigureAwait(false);
        return json.RootElement.EnumerateArray().Select(ImageMapExtent.FromJson).ToList();
    }

    /// <summary>Measures the bytes an image needs once converted (<c>measure --output=json -O FORMAT</c>).</summary>
    public async Task<ImageMeasurement> MeasureAsync(
        string path, string targetFormat = "qcow2", string? sourceFormat = null, CancellationToken cancellationToken = default)
    {
        List<string> args = [_program, "measure", "--output=json", "-O", targetFormat];
        AddFormat(args, sourceFormat);
        args.Add(path);
        using var json = await RunJsonAsync(args, null, cancellationToken).ConfigureAwait(false);
        return ImageMeasurement.FromJson(json.RootElement);
    }

    private List<string> InfoArguments(string path, bool backingChain, bool forceShare, string? format)
    {
        List<string> args = [_program, "info", "--output=json"];
        if (backingChain)
        {
            args.Add("--backing-chain");
        }

        if (forceShare)
        {
            args.Add("-U");
        }

        AddFormat(args, format);
        args.Add(path);
        return args;
    }

    private async Task<JsonDocument> RunJsonAsync(List<string> args, HostCommandOptions? options, CancellationToken cancellationToken)
    {
        var result = await _shell.RunAsync(args, options, cancellationToken).ConfigureAwait(false);
        try
        {
            return JsonDocument.Parse(result.StandardOutput);
        }
        catch (JsonException e)
        {
            throw new FormatException($"'{PosixShell.Join(args)}' on host '{_shell.Host}' printed no valid JSON: {e.Message}", e);
        }
    }

    private static void AddFormat(List<string> args, string? format)
    {
        if (format is not null)
        {
            args.AddRange(["-f", format]);
        }
    }

    private static void AddBacking(List<string> args, string? backingFile, string? backingFormat, string flag = "-b")
    {
        if (backingFile is null)
        {
            return;
        }

        if (backingFormat is null)
        {
            throw new ArgumentException("A backing file needs its format: qemu-img refuses to probe it.", nameof(backingFormat));
        }

        args.AddRange([flag, backingFile, "-F", backingFormat]);
    }
}
