using System.Text;

namespace BackupWorkflows.Kvm.Hosts;

/// <summary>
/// The one audited place that turns an argument list into a command line for a POSIX shell
/// (the remote side of <c>ssh</c>). Every remote command is built only through <see cref="Join"/>.
/// </summary>
/// <remarks>
/// Each argument is wrapped in single quotes; inside single quotes a POSIX shell interprets
/// nothing, so the only character that needs care is the single quote itself, written as
/// <c>'\''</c> (close quote, escaped quote, reopen). This holds for <c>$</c>, backticks,
/// backslashes, newlines, globs and any non-ASCII text. NUL cannot travel in an argument
/// (argv is NUL-terminated), so it is rejected instead of being silently truncated.
/// </remarks>
public static class PosixShell
{
    /// <summary>Quotes one argument so a POSIX shell reads it back as exactly one word, unchanged.</summary>
    /// <exception cref="ArgumentException">The argument contains a NUL character.</exception>
    public static string Quote(string argument)
    {
        ArgumentNullException.ThrowIfNull(argument);
        if (argument.Contains('\0'))
        {
            throw new ArgumentException("A shell argument cannot contain a NUL character.", nameof(argument));
        }

        var quoted = new StringBuilder(argument.Length + 2);
        quoted.Append('\'');
        foreach (var c in argument)
        {
            if (c == '\'')
            {
                quoted.Append("'\\''");
            }
            else
            {
                quoted.Append(c);
            }
        }

        quoted.Append('\'');
        return quoted.ToString();
    }

    /// <summary>Quotes every argument and joins them with single spaces.</summary>
    public static string Join(IEnumerable<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        return string.Join(' ', arguments.Select(Quote));
    }
}
