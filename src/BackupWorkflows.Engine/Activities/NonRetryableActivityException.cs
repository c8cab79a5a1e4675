namespace BackupWorkflows.Engine.Activities;

/// <summary>
/// An error that retrying cannot fix (bad input, missing object). It is never retried; the
/// activity's <c>Failed</c> outcome is taken if connected, otherwise the instance faults.
/// Any other exception is retried according to the activity's retry policy.
/// </summary>
public class NonRetryableActivityException : Exception
{
    /// <summary>Creates the exception with a message for the journal and the incident.</summary>
    public NonRetryableActivityException(string message) : base(message) { }

    /// <summary>Creates the exception wrapping the cause.</summary>
    public NonRetryableActivityException(string message, Exception inner) : base(message, inner) { }
}
