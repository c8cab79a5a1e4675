namespace BackupWorkflows.Backup.Validation;

/// <summary>The result of one level with its explanation (and a screenshot for the boot test).</summary>
public sealed record LevelOutcome(ValidationResult Result, string Detail, byte[]? Screenshot = null)
{
    public static LevelOutcome Valid(string detail) => new(ValidationResult.Valid, detail);
    public static LevelOutcome Invalid(string detail) => new(ValidationResult.Invalid, detail);
    public static LevelOutcome Unable(string detail) => new(ValidationResult.UnableToValidate, detail);
}
