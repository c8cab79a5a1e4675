using System.Text.RegularExpressions;
using BackupWorkflows.Server.Errors;

namespace BackupWorkflows.Server.Validation;

/// <summary>
/// Collects per-field problems of one request and throws them together as a 400.
/// Every rule treats the input as hostile: names, paths and URIs later reach host commands
/// (as argument-list items, never shell text), so they are restricted to safe shapes here too.
/// </summary>
public sealed partial class InputRules
{
    private readonly Dictionary<string, List<string>> _errors = [];

    /// <summary>How many problems were added so far.</summary>
    public int Count => _errors.Values.Sum(l => l.Count);

    /// <summary>Adds a problem for a field.</summary>
    public InputRules Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(message);
        return this;
    }

    /// <summary>A required name: 1–100 of letters, digits, '.', '_', '-', not starting with '-' or '.'.</summary>
    public InputRules Name(string field, string? value)
    {
        if (string.IsNullOrEmpty(value)) return Add(field, "is required.");
        if (!NamePattern().IsMatch(value))
            Add(field, "must be 1-100 characters of letters, digits, '.', '_' or '-', starting with a letter or digit.");
        return this;
    }

    /// <summary>A required VM (libvirt domain) name, by the one rule of <see cref="Backup.Model.VmNames"/>.</summary>
    public InputRules VmName(string field, string? value)
    {
        if (string.IsNullOrEmpty(value)) return Add(field, "is required.");
        if (!Backup.Model.VmNames.IsValid(value)) Add(field, $"must be {Backup.Model.VmNames.Rule}.");
        return this;
    }

    /// <summary>A disk target as libvirt names it (vda, sdb, hdc, nvme0n1): 2-4 letters, then 1-4 letters or digits.</summary>
    public InputRules DiskTarget(string field, string? value)
    {
        if (!DiskTargetPattern().IsMatch(value ?? "")) Add(field, $"'{value}' is not a disk target such as vda.");
        return this;
    }

    /// <summary>A directory for backups or staging (see <see cref="PathRule.CheckDirectory"/>); optional unless <paramref name="required"/>, never empty.</summary>
    public InputRules Directory(string field, string? value, bool required = true) =>
        Optional(field, value, required) ? this : Check(field, PathRule.CheckDirectory(value!));

    /// <summary>An optional key or known_hosts file (see <see cref="PathRule.CheckKeyFile"/>); never empty.</summary>
    public InputRules KeyFile(string field, string? value) =>
        Optional(field, value, required: false) ? this : Check(field, PathRule.CheckKeyFile(value!));

    /// <summary>An integer in a range.</summary>
    public InputRules Range(string field, long? value, long min, long max)
    {
        if (value is { } v && (v < min || v > max)) Add(field, $"must be between {min} and {max}.");
        return this;
    }

    /// <summary>One of a fixed set of values (case-sensitive).</summary>
    public InputRules OneOf(string field, string? value, IReadOnlyCollection<string> allowed, bool required = true)
    {
        if (value is { Length: 0 } && !required)
            return Add(field, $"must not be empty: leave it out for the default, or give one of: {string.Join(", ", allowed)}.");
        if (Optional(field, value, required)) return this;
        if (!allowed.Contains(value!)) Add(field, $"must be one of: {string.Join(", ", allowed)}.");
        return this;
    }

    /// <summary>True when there is nothing more to check: absent and optional, or a problem was added (absent and
    /// required, or empty: an optional field is left out, not sent as "").</summary>
    private bool Optional(string field, string? value, bool required)
    {
        if (value is null)
        {
            if (required) Add(field, "is required.");
            return true;
        }
        if (value.Length == 0)
        {
            Add(field, required ? "is required." : "must not be empty; leave it out for the default.");
            return true;
        }
        return false;
    }

    private InputRules Check(string field, string? problem) => problem is null ? this : Add(field, problem);

    /// <summary>Throws <see cref="InputException"/> when any rule failed.</summary>
    public void ThrowIfAny()
    {
        if (_errors.Count > 0) throw new InputException(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[a-z]{2,4}[a-z0-9]{1,4}$")]
    private static partial Regex DiskTargetPattern();
}
