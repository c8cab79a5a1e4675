namespace BackupWorkflows.Engine.Runtime.Execution;

/// <summary>
/// The text of an error as users see it (journal, instance fault, events): the message, without .NET type names or
/// parameter names. Incidents still record the exception's type for retry policies and the log has the stack.
/// </summary>
internal static class FaultText
{
    /// <summary>The user-facing text of <paramref name="e"/>.</summary>
    public static string Of(Exception e)
    {
        var message = e is ArgumentException a && a.ParamName is { } name
            ? a.Message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal)
            : e.Message;
        // .NET's default texts ("Exception of type 'X.Y' was thrown.", "Object reference not set…") say nothing to a user.
        if (message.Contains("Exception of type '", StringComparison.Ordinal) || e is NullReferenceException)
            return "an internal error (the server's log has the details)";
        return message.Length == 0 ? "an error without a message" : message;
    }
}
