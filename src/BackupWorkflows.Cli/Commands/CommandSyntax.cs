using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;

namespace BackupWorkflows.Cli.Commands;

/// <summary>How bwf's commands are declared: commands, groups, arguments and options, shared by the command files.</summary>
internal static class CommandSyntax
{
    /// <summary>A command with its arguments and options.</summary>
    public static Command Cmd(string name, string description, params Symbol[] symbols)
    {
        var command = new Command(name, description);
        foreach (var symbol in symbols)
        {
            if (symbol is Argument a) command.Arguments.Add(a);
            else if (symbol is Option o) command.Options.Add(o);
        }
        return command;
    }

    /// <summary>A command grouping sub-commands.</summary>
    public static Command Group(string name, string description, params Command[] subcommands)
    {
        var command = new Command(name, description);
        foreach (var sub in subcommands) command.Subcommands.Add(sub);
        return command;
    }

    /// <summary>A required positional argument.</summary>
    public static Argument<string> Arg(string name, string description) => new(name) { Description = description };

    /// <summary>An optional string option.</summary>
    public static Option<string?> Opt(string name, string description, bool required = false) =>
        new(name) { Description = description, Required = required };

    /// <summary>A flag.</summary>
    public static Option<bool> Flag(string name, string description) => new(name) { Description = description };

    /// <summary>An optional integer option.</summary>
    public static Option<int?> Int(string name, string description) => new(name) { Description = description };

    /// <summary>A path segment, escaped.</summary>
    public static string Seg(string value) => Uri.EscapeDataString(value);

    /// <summary>A local path made absolute (the server refuses relative paths).</summary>
    public static string? Absolute(string? path) => path is null ? null : Path.GetFullPath(path);

    /// <summary>Bytes for people: 1.5 GiB.</summary>
    public static string Bytes(JsonNode? node) => Bytes(node?.GetValue<long>());

    /// <summary>Bytes for people: 1.5 GiB; "-" for none.</summary>
    public static string Bytes(long? count)
    {
        if (count is not { } bytes) return "-";
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1) { value /= 1024; unit++; }
        return unit == 0 ? $"{bytes} B" : value.ToString("0.0", CultureInfo.InvariantCulture) + " " + units[unit];
    }

    /// <summary>A time for people (local time, to the second).</summary>
    public static string? Time(JsonNode? node) =>
        node is null ? null : Time(DateTimeOffset.Parse(node.GetValue<string>(), CultureInfo.InvariantCulture));

    /// <summary>A time for people (local time, to the second).</summary>
    public static string? Time(DateTimeOffset? at) =>
        at?.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>A backup id given on the command line.</summary>
    public static Guid BackupId(string? text) =>
        Guid.TryParse(text, out var id) ? id : throw new CliUsageException($"'{text}' is not a backup id (bwf backup list shows them).");
}
