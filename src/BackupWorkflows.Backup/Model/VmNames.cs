namespace BackupWorkflows.Backup.Model;

/// <summary>
/// The one rule for a VM (libvirt domain) name, for names the API is given and names a restore
/// creates alike, so nothing is accepted up front and refused later.
/// </summary>
/// <remarks>It is libvirt's own rule plus what keeps a name safe as a command argument: existing VMs
/// may have spaces in their names, and whatever a name holds, it reaches host commands only as one
/// argument-list item and file names only through <c>RepositoryLayout.SafeName</c>.</remarks>
public static class VmNames
{
    /// <summary>Longest name accepted.</summary>
    public const int MaxLength = 200;

    /// <summary>The rule in words, for error messages.</summary>
    public const string Rule = "a libvirt domain name: 1-200 characters, not blank, no '/', no control characters, not starting with '-'";

    /// <summary>Whether <paramref name="name"/> follows the rule.</summary>
    public static bool IsValid(string? name) =>
        !string.IsNullOrWhiteSpace(name) && name.Length <= MaxLength && !name.StartsWith('-')
        && !name.Any(c => char.IsControl(c) || c == '/');
}
