namespace BackupWorkflows.Backup.GuestFiles;

/// <summary>A bad browse request (path, volume, range); the API answers 400 naming <see cref="Field"/>.</summary>
/// <param name="field">The request field at fault.</param>
/// <param name="message">Shown to the user after the field name.</param>
public sealed class BrowseInputException(string field, string message) : Exception($"{field}: {message}")
{
    /// <summary>The request field at fault (<c>path</c>, <c>volume</c>, …).</summary>
    public string Field { get; } = field;

    /// <summary>The message without the field name.</summary>
    public string Problem { get; } = message;
}

/// <summary>The backup's offering does not allow file extraction; the API answers 403.</summary>
/// <param name="message">Names the backup, the VM and the offering.</param>
public sealed class FileExtractionForbiddenException(string message) : Exception(message);
