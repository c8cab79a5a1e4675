using System.Globalization;

namespace BackupWorkflows.Kvm.Hosts;

/// <summary>
/// Small typed file operations on a host, each one coreutils command through its shell.
/// Paths are passed as single arguments (never globbed or split), so spaces and quotes are safe.
/// </summary>
public sealed class HostFiles
{
    private readonly IHostShell _shell;

    /// <summary>Operates on files of the host behind <paramref name="shell"/>.</summary>
    public HostFiles(IHostShell shell) => _shell = shell ?? throw new ArgumentNullException(nameof(shell));

    /// <summary>The shell these operations run through.</summary>
    public IHostShell Shell => _shell;

    /// <summary>Whether a file or directory exists (<c>test -e</c>).</summary>
    public async Task<bool> ExistsAsync(string path, CancellationToken cancellationToken = default)
    {
        var result = await _shell.RunAsync(["test", "-e", path], new HostCommandOptions { SuccessExitCodes = [0, 1] }, cancellationToken)
            .ConfigureAwait(false);
        return result.ExitCode == 0;
    }

    /// <summary>Size of a file in bytes (<c>stat -c %s</c>).</summary>
    public async Task<long> SizeAsync(string path, CancellationToken cancellationToken = default)
    {
        var result = await _shell.RunAsync(["stat", "-L", "-c", "%s", "--", path], null, cancellationToken).ConfigureAwait(false);
        return long.Parse(result.StandardOutput.Trim(), CultureInfo.InvariantCulture);
    }

    /// <summary>Bytes available to unprivileged users on the file system holding <paramref name="path"/>
    /// (<c>df --output=avail -B1</c>).</summary>
    public async Task<long> FreeSpaceAsync(string path, CancellationToken cancellationToken = default)
    {
        var result = await _shell.RunAsync(["df", "--output=avail", "-B1", "--", path], null, cancellationToken).ConfigureAwait(false);
        // Output is a header line ("Avail") then the number.
        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return long.Parse(lines[^1], CultureInfo.InvariantCulture);
    }

    /// <summary>Creates a directory and its parents (<c>mkdir -p</c>); no error if it exists.</summary>
    public Task CreateDirectoryAsync(string path, CancellationToken cancellationToken = default) =>
        _shell.RunAsync(["mkdir", "-p", "--", path], null, cancellationToken);

    /// <summary>Deletes a file (<c>rm -f</c>); no error if it does not exist.</summary>
    public Task DeleteFileAsync(string path, CancellationToken cancellationToken = default) =>
        _shell.RunAsync(["rm", "-f", "--", path], null, cancellationToken);

    /// <summary>Deletes a directory tree (<c>rm -rf</c>); no error if it does not exist.</summary>
    public Task DeleteDirectoryAsync(string path, CancellationToken cancellationToken = default) =>
        _shell.RunAsync(["rm", "-rf", "--", path], null, cancellationToken);

    /// <summary>Renames a file, replacing the target (<c>mv -f</c>; atomic within one file system).</summary>
    public Task RenameAsync(string source, string target, CancellationToken cancellationToken = default) =>
        _shell.RunAsync(["mv", "-f", "-T", "--", source, target], null, cancellationToken);

    /// <summary>Copies a file, keeping holes sparse and sharing blocks where the file system can
    /// (<c>cp --sparse=always --reflink=auto</c>); the target is replaced.</summary>
    public Task CopyAsync(string source, string target, HostCommandOptions? options = null, CancellationToken cancellationToken = default) =>
        _shell.RunAsync(["cp", "-f", "--sparse=always", "--reflink=auto", "-T", "--", source, target], options, cancellationToken);

    /// <summary>Names (not paths) of the entries directly in a directory, sorted ordinally.</summary>
    public async Task<IReadOnlyList<string>> ListAsync(string directory, CancellationToken cancellationToken = default)
    {
        // NUL-separated names: any byte but NUL and '/' may appear in a file name, newlines included.
        var result = await _shell.RunAsync(["find", directory, "-mindepth", "1", "-maxdepth", "1", "-printf", "%f\\0"], null, cancellationToken)
            .ConfigureAwait(false);
        return result.StandardOutput.Split('\0', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Checksum of a file. With no <paramref name="algorithm"/> the host picks the fastest it has:
    /// BLAKE3 (<c>b3sum</c>, all cores) or else SHA-256 (<c>openssl dgst</c>, using the CPU's SHA
    /// extensions, or <c>sha256sum</c>). Pass the algorithm of a recorded checksum to verify it.
    /// </summary>
    /// <exception cref="HostCommandException">The file cannot be read, or the host lacks the tool for
    /// the requested algorithm.</exception>
    public async Task<FileChecksum> ChecksumAsync(string path, string? algorithm = null, HostCommandOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        // The file is read by name (b3sum maps it and hashes on every core); --no-names and the sha256
        // tools reading stdin keep names with backslashes or newlines out of the output.
        const string script = """
            has() { command -v "$1" >/dev/null 2>&1; }
            want="$2"
            if [ -z "$want" ]; then if has b3sum; then want=blake3; else want=sha256; fi; fi
            case "$want" in
              blake3) has b3sum || { echo "b3sum is not installed (Debian package b3sum)" >&2; exit 127; }
                      printf 'blake3 '; exec b3sum --no-names -- "$1" ;;
              sha256) printf 'sha256 '
                      if has openssl; then exec openssl dgst -sha256 -r < "$1"; else exec sha256sum < "$1"; fi ;;
              *) echo "unknown checksum algorithm '$want'" >&2; exit 2 ;;
            esac
            """;
        var result = await _shell.RunAsync(["sh", "-c", script, "sh", path, algorithm ?? ""], options, cancellationToken)
            .ConfigureAwait(false);
        var words = result.StandardOutput.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
        try
        {
            return FileChecksum.Parse(words.Length >= 2 ? $"{words[0]}:{words[1].Trim()}" : result.StandardOutput);
        }
        catch (FormatException e)
        {
            throw new FormatException($"checksum on '{_shell.Host}' printed '{result.StandardOutput.Trim()}' for '{path}': {e.Message}", e);
        }
    }

    /// <summary>Flushes a file's data and metadata to stable storage (<c>sync FILE</c>).</summary>
    public Task FsyncAsync(string path, CancellationToken cancellationToken = default) =>
        _shell.RunAsync(["sync", "--", path], null, cancellationToken);

    /// <summary>Writes a small text file (UTF-8) through standard input, replacing it atomically:
    /// the text goes to a temporary sibling, is synced, then renamed over the target.</summary>
    public Task WriteTextAsync(string path, string content, CancellationToken cancellationToken = default) =>
        _shell.RunAsync(
            ["sh", "-c", "tmp=\"$1.tmp.$$\" && cat > \"$tmp\" && sync \"$tmp\" && mv -f -T \"$tmp\" \"$1\" || { rm -f \"$tmp\"; exit 1; }", "sh", path],
            new HostCommandOptions { StandardInput = content },
            cancellationToken);

    /// <summary>Reads a small text file (UTF-8).</summary>
    public async Task<string> ReadTextAsync(string path, CancellationToken cancellationToken = default)
    {
        var result = await _shell.RunAsync(["cat", "--", path], null, cancellationToken).ConfigureAwait(false);
        return result.StandardOutput;
    }

    /// <summary>Creates a fresh empty temporary directory on the host (<c>mktemp -d</c>) and returns its path.</summary>
    public async Task<string> CreateTempDirectoryAsync(string prefix = "bwf", CancellationToken cancellationToken = default)
    {
        var result = await _shell.RunAsync(["mktemp", "-d", "-t", $"{prefix}.XXXXXXXX"], null, cancellationToken).ConfigureAwait(false);
        return result.StandardOutput.TrimEnd('\n');
    }
}
