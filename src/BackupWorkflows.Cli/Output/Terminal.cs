using Spectre.Console;

namespace BackupWorkflows.Cli.Output;

/// <summary>The console bwf writes to, set up for people at a terminal or for scripts.</summary>
/// <remarks>
/// Spectre.Console decides on ANSI support from TERM alone, so output piped to a file or another program would
/// still carry colour and cursor codes. Here a redirected stdout gets plain text (no ANSI, no colours, no live
/// display, a wide page so table rows stay on one line for grep and less), and <c>NO_COLOR</c> (no-color.org,
/// any non-empty value) turns colours off at a terminal too.
/// </remarks>
public static class Terminal
{
    /// <summary>Page width used when stdout is not a terminal.</summary>
    public const int RedirectedWidth = 220;

    /// <summary>A console writing to <paramref name="output"/>.</summary>
    /// <param name="output">Where the text goes (stdout).</param>
    /// <param name="outputRedirected">True when stdout is a file or a pipe, not a terminal.</param>
    /// <param name="environment">Reads environment variables.</param>
    public static IAnsiConsole Console(TextWriter output, bool outputRedirected, Func<string, string?> environment)
    {
        var noColor = !string.IsNullOrEmpty(environment("NO_COLOR"));
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = outputRedirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = outputRedirected || noColor ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = outputRedirected ? InteractionSupport.No : InteractionSupport.Detect,
            Out = new AnsiConsoleOutput(output),
        });
        if (outputRedirected) console.Profile.Width = RedirectedWidth;
        return console;
    }
}
