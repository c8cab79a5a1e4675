using Quartz;

namespace BackupWorkflows.Engine.Triggers;

/// <summary>
/// Turns what a user writes into a Quartz cron expression (seconds first): the words
/// <c>hourly</c>, <c>daily</c>, <c>weekly</c>, <c>monthly</c> (also with '@'), a five-field Unix
/// cron (<c>30 2 * * 1-5</c>), or a six/seven-field Quartz cron (<c>*/10 * * * * ?</c>).
/// </summary>
public static class ScheduleCron
{
    /// <summary>
    /// A cron expression and its time zone as schedules, <c>Trigger.Cron</c> and the cron preview take them: the Quartz form
    /// and the zone (no zone given: UTC), or what is wrong, by input (<c>cron</c>, <c>timeZone</c>).
    /// </summary>
    public static CronReading Read(string? cron, string? timeZone)
    {
        var problems = new List<(string Input, string Problem)>();
        var (quartz, error) = Parse(cron);
        if (error is not null) problems.Add(("cron", error));
        var zone = TimeZoneInfo.Utc;
        if (timeZone is not null && !TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out zone!))
            problems.Add(("timeZone", $"'{timeZone}' is not a known time zone (use an IANA id such as Europe/Berlin)."));
        return problems.Count == 0 ? new CronReading(quartz, zone, problems) : new CronReading(null, null, problems);
    }

    /// <summary>The Quartz expression, or a message saying what is wrong.</summary>
    public static (string? Quartz, string? Error) Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return (null, "is required: hourly, daily, weekly, monthly or a cron expression.");
        var trimmed = text.Trim();
        if (trimmed.Length > 200 || trimmed.Any(char.IsControl)) return (null, "is not a cron expression.");
        var quartz = trimmed.TrimStart('@').ToLowerInvariant() switch
        {
            "hourly" => "0 0 * * * ?",
            "daily" => "0 0 0 * * ?",
            "weekly" => "0 0 0 ? * SUN",
            "monthly" => "0 0 0 1 * ?",
            _ => null,
        };
        if (quartz is null)
        {
            var fields = trimmed.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            switch (fields.Length)
            {
                case 5:
                    var (converted, error) = FromUnix(fields);
                    if (error is not null) return (null, error);
                    quartz = converted;
                    break;
                case 6 or 7:
                    quartz = string.Join(' ', fields);
                    break;
                default:
                    return (null, $"has {fields.Length} fields; expected 5 (Unix: minute hour day month weekday) or 6-7 (Quartz: second first).");
            }
        }
        try
        {
            // Quartz accepts expressions that name no real moment (30 February, a past year) and then refuses to schedule them.
            if (new CronExpression(quartz!).GetNextValidTimeAfter(DateTimeOffset.UtcNow) is null)
                return (null, $"never fires ({quartz}): it names no date from now on, such as 30 February or a past year.");
            return (quartz, null);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            return (null, $"is not a valid cron expression ({quartz}): {e.Message}");
        }
    }

    /// <summary>Unix cron to Quartz: seconds 0 in front, '?' in the unused day field, weekdays 0-6 (Sun=0) to 1-7.</summary>
    private static (string?, string?) FromUnix(string[] f)
    {
        var (minute, hour, dom, month, dow) = (f[0], f[1], f[2], f[3], f[4]);
        if (dow != "*" && dom != "*") return (null, "cannot restrict both the day of month and the weekday.");
        if (dow == "*") dow = "?";
        else
        {
            dom = "?";
            dow = ShiftWeekdays(dow);
        }
        return ($"0 {minute} {hour} {dom} {month} {dow}", null);
    }

    private static string ShiftWeekdays(string dow)
    {
        var parts = System.Text.RegularExpressions.Regex.Split(dow, "([,\\-/#])");
        for (var i = 0; i < parts.Length; i++)
        {
            // Only weekday numbers move; a step after '/' or an occurrence after '#' stays.
            if (int.TryParse(parts[i], out var n) && n is >= 0 and <= 7 && (i == 0 || parts[i - 1] is not ("/" or "#")))
                parts[i] = ((n % 7) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return string.Concat(parts);
    }
}

/// <summary>What <see cref="ScheduleCron.Read"/> made of a cron expression and a time zone: both, or the problems by input.</summary>
public sealed record CronReading(string? Quartz, TimeZoneInfo? Zone, IReadOnlyList<(string Input, string Problem)> Problems)
{
    /// <summary>Both are valid (<see cref="Quartz"/> and <see cref="Zone"/> are set).</summary>
    public bool IsValid => Problems.Count == 0;
}
