using System.Globalization;

namespace BackupWorkflows.Backup.Settings;

/// <summary>What kind of value a setting holds.</summary>
public enum SettingKind
{
    /// <summary><c>true</c> or <c>false</c>.</summary>
    Boolean,

    /// <summary>A whole number within the range.</summary>
    Integer,

    /// <summary>A decimal number within the range (no exponent).</summary>
    Number,

    /// <summary>A decimal number of <see cref="SettingDefinition.Unit"/>s within the range; read as a <see cref="TimeSpan"/>.</summary>
    Duration,

    /// <summary>One of <see cref="SettingDefinition.Choices"/>.</summary>
    Choice,
}

/// <summary>
/// One setting: its name, kind, default, range and meaning. The one place a value is checked, both
/// when it is set and when a stored value is read back.
/// </summary>
/// <param name="Name">Dotted lower-case words, e.g. <c>compression.max.retries</c>.</param>
/// <param name="Kind">What kind of value it holds.</param>
/// <param name="Default">The value when none is stored, as canonical text.</param>
/// <param name="Description">What it changes.</param>
public sealed record SettingDefinition(string Name, SettingKind Kind, string Default, string Description)
{
    /// <summary>Longest value accepted.</summary>
    public const int MaxValueLength = 100;

    /// <summary>Smallest allowed number (numeric kinds).</summary>
    public double Minimum { get; init; }

    /// <summary>Largest allowed number (numeric kinds).</summary>
    public double Maximum { get; init; }

    /// <summary>The allowed values of a <see cref="SettingKind.Choice"/>.</summary>
    public IReadOnlyList<string> Choices { get; init; } = [];

    /// <summary>The unit of a <see cref="SettingKind.Duration"/> (also the last word of its name).</summary>
    public TimeSpan Unit { get; init; }

    /// <summary>The allowed values in words, e.g. <c>a whole number from 1 to 16</c>.</summary>
    public string Allowed => Kind switch
    {
        SettingKind.Boolean => "true or false",
        SettingKind.Integer => $"a whole number from {Text(Minimum)} to {Text(Maximum)}",
        SettingKind.Choice => "one of " + string.Join(", ", Choices.Select(c => $"'{c}'")),
        _ => $"a number from {Text(Minimum)} to {Text(Maximum)}",
    };

    /// <summary>Checks <paramref name="value"/> exactly as given (no trimming); returns its canonical text or the reason it is refused.</summary>
    public (string? Value, string? Error) Check(string? value)
    {
        if (value is null) return (null, $"{Name} needs a value: {Allowed}.");
        if (value.Length > MaxValueLength || value.Any(char.IsControl) || value.Trim().Length != value.Length || value.Length == 0)
            return (null, $"{Name} must be {Allowed}, without spaces or control characters; got {Quote(value)}.");
        switch (Kind)
        {
            case SettingKind.Boolean:
                return value.ToLowerInvariant() is "true" or "false" ? (value.ToLowerInvariant(), null) : (null, Refusal(value));
            case SettingKind.Choice:
                return Choices.Contains(value, StringComparer.Ordinal) ? (value, null) : (null, Refusal(value));
            default:
                // No exponent and no thousands separators: '1e300' is not a way to write a poll interval.
                var styles = Kind == SettingKind.Integer ? NumberStyles.AllowLeadingSign : NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint;
                if (!decimal.TryParse(value, styles, CultureInfo.InvariantCulture, out var number)
                    || (Kind == SettingKind.Integer && number != decimal.Truncate(number))
                    || (double)number < Minimum || (double)number > Maximum)
                    return (null, Refusal(value));
                return (Text((double)number), null);
        }
    }

    private string Refusal(string value) => $"{Name} must be {Allowed}; got {Quote(value)}.";

    private static string Quote(string value) =>
        "'" + string.Concat(value.Take(40).Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString())) + (value.Length > 40 ? "…'" : "'");

    private static string Text(double d) => d.ToString(CultureInfo.InvariantCulture);
}
