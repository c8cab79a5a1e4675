namespace BackupWorkflows.Server.Errors;

/// <summary>An error the client caused, answered as a problem details response with this status.</summary>
/// <remarks>The message is shown to the client, so it must never contain secrets or internals.</remarks>
public class ApiException(int status, string title, string detail) : Exception(detail)
{
    /// <summary>HTTP status.</summary>
    public int Status { get; } = status;

    /// <summary>Short title.</summary>
    public string Title { get; } = title;
}

/// <summary>404: the named thing does not exist.</summary>
public sealed class NotFoundException(string detail) : ApiException(StatusCodes.Status404NotFound, "Not found", detail);

/// <summary>409: the request conflicts with the current state (exists already, in use, not published).</summary>
public sealed class ConflictException(string detail) : ApiException(StatusCodes.Status409Conflict, "Conflict", detail);

/// <summary>400 with per-field messages.</summary>
public sealed class InputException(IDictionary<string, string[]> errors)
    : ApiException(StatusCodes.Status400BadRequest, "Invalid input",
        string.Join(" ", errors.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}"))))
{
    /// <summary>Messages by field name.</summary>
    public IDictionary<string, string[]> Errors { get; } = errors;

    /// <summary>One field, one message.</summary>
    public InputException(string field, string message) : this(new Dictionary<string, string[]> { [field] = [message] }) { }
}
