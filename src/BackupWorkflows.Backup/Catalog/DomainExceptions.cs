namespace BackupWorkflows.Backup.Catalog;

/// <summary>A named host, repository, offering or assignment does not exist; the API answers 404.</summary>
/// <remarks>The message is shown to clients, so it names only what the caller asked for.</remarks>
public sealed class DomainNotFoundException(string message) : Exception(message);

/// <summary>A domain rule refuses the change in the current state (exists already, still in use); the API answers 409.</summary>
/// <remarks>The message is shown to clients, so it names only what the caller asked for.</remarks>
public sealed class DomainConflictException(string message) : Exception(message);
