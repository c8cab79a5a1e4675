namespace BackupWorkflows.Backup.Validation;

/// <summary>The result of one validation level of one backup (<c>bwf_validations</c>).</summary>
public sealed class ValidationRecord
{
    public Guid Id { get; set; }

    public Guid BackupId { get; set; }

    /// <summary><see cref="ValidationLevels.Image"/>, <see cref="ValidationLevels.Checksums"/> or <see cref="ValidationLevels.Boot"/>.</summary>
    public required string Level { get; set; }

    public ValidationResult Result { get; set; }

    /// <summary>What was checked and what was found.</summary>
    public string? Detail { get; set; }

    /// <summary>PNG of the throw-away VM's console (boot level only).</summary>
    public byte[]? Screenshot { get; set; }

    /// <summary>Workflow instance that validated.</summary>
    public string? InstanceId { get; set; }

    public DateTimeOffset At { get; set; }
}

/// <summary>What a validation found.</summary>
public enum ValidationResult
{
    /// <summary>The backup passed.</summary>
    Valid,
    /// <summary>The backup is damaged or incomplete.</summary>
    Invalid,
    /// <summary>The infrastructure failed (host, space, libvirt), not the backup.</summary>
    UnableToValidate,
}

/// <summary>Level names.</summary>
public static class ValidationLevels
{
    /// <summary>qemu-img check of every image; the backing chain resolves inside the repository.</summary>
    public const string Image = "image";
    /// <summary>SHA-256 of every image equals the one recorded when it was stored.</summary>
    public const string Checksums = "checksums";
    /// <summary>A throw-away VM on an overlay boots, its agent answers, a command succeeds.</summary>
    public const string Boot = "boot";

    /// <summary>Parses a comma list; empty means image, checksums and boot.</summary>
    public static IReadOnlyList<string> Parse(string? levels)
    {
        var list = (levels ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.ToLowerInvariant()).Distinct().ToList();
        if (list.Count == 0) return [Image, Checksums, Boot];
        var unknown = list.Where(l => l is not (Image or Checksums or Boot)).ToList();
        if (unknown.Count > 0) throw new Catalog.BackupInputException($"unknown validation level(s): {string.Join(", ", unknown)}");
        return list;
    }
}
