using System.Text.RegularExpressions;

namespace BackupWorkflows.Server.Validation;

/// <summary>
/// What a path given to the API may be. Paths reach host commands (as argument-list items) and ssh
/// options, so they are held to one safe shape: absolute, normalized (no empty, '.' or '..' segments),
/// no control characters, and never a place the service must not write or read from.
/// </summary>
internal static partial class PathRule
{
    /// <summary>Trees that hold the system, devices or process state: never a directory of ours, never a key file.</summary>
    private static readonly string[] SystemTrees = ["/proc", "/sys", "/dev", "/etc", "/boot", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/usr", "/run"];

    /// <summary>Trees a key file may never come from (process state and devices; /etc/ssh is fine).</summary>
    private static readonly string[] KernelTrees = ["/proc", "/sys", "/dev"];

    /// <summary>Top-level directories that are fine to hold a repository or staging area below, but not themselves.</summary>
    private static readonly string[] Roots = ["/", "/var", "/home", "/root", "/tmp", "/opt", "/srv", "/mnt", "/media"];

    /// <summary>Why <paramref name="path"/> is no directory for backups or staging, or null when it is fine.</summary>
    public static string? CheckDirectory(string path) =>
        CheckShape(path, FreePath(), "must be an absolute path (starting with '/') without control characters, quotes, '$', '`', '\\', ';' or '*'.")
        ?? (Roots.Contains(path.TrimEnd('/') is { Length: > 0 } p ? p : "/") || Within(path, SystemTrees)
            ? $"must not be '/', a top-level directory or a system directory ({string.Join(", ", SystemTrees)}); use a directory of its own, such as /var/lib/bwf/repository."
            : null);

    /// <summary>Why <paramref name="path"/> is no key or known_hosts file, or null when it is fine.</summary>
    public static string? CheckKeyFile(string path) =>
        CheckShape(path, KeyFilePath(), "must be an absolute path of letters, digits and '/', '.', '_', '-', '+', '@' (no spaces, ';' or '=').")
        ?? (Within(path, KernelTrees) ? "must not be under /proc, /sys or /dev." : null);

    private static string? CheckShape(string path, Regex characters, string shape)
    {
        if (path.Length > 1000 || !path.StartsWith('/') || !characters.IsMatch(path)) return shape;
        var segments = path.TrimEnd('/').Split('/')[1..];
        if (segments.Any(s => s is "" or "." or ".."))
            return "must be a normalized absolute path: no empty, '.' or '..' segments.";
        return null;
    }

    private static bool Within(string path, string[] trees) =>
        trees.Any(t => path == t || path.StartsWith(t + "/", StringComparison.Ordinal));

    // Spaces are fine in a directory (commands are argument lists); the shell's and ssh's special characters are not.
    [GeneratedRegex(@"^/[A-Za-z0-9 ._+@,:%=/-]*$")]
    private static partial Regex FreePath();

    [GeneratedRegex(@"^/[A-Za-z0-9._+@/-]*$")]
    private static partial Regex KeyFilePath();
}
