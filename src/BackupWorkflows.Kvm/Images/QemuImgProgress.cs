using System.Globalization;
using System.Text.RegularExpressions;

namespace BackupWorkflows.Kvm.Images;

/// <summary>Reads qemu-img's <c>-p</c> progress lines, printed as <c>    (41.67/100%)</c> ended by a carriage return.</summary>
internal static partial class QemuImgProgress
{
    [GeneratedRegex(@"^\s*\((?<p>\d+(\.\d+)?)/100%\)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex Line();

    /// <summary>Parses one progress line; false for any other output.</summary>
    public static bool TryParse(string line, out double percent)
    {
        var match = Line().Match(line);
        percent = match.Success ? double.Parse(match.Groups["p"].Value, CultureInfo.InvariantCulture) : 0;
        return match.Success;
    }

    /// <summary>A line callback that forwards parsed progress to <paramref name="onProgress"/>.</summary>
    public static Action<string>? Forwarder(Action<double>? onProgress) =>
        onProgress is null ? null : line =>
        {
            if (TryParse(line, out var p))
            {
                onProgress(p);
            }
        };
}
