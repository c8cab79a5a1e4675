namespace BackupWorkflows.Kvm.Hosts;

internal static class HostCommandValidation
{
    public static void RequireArguments(IReadOnlyList<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        if (arguments.Count == 0 || string.IsNullOrEmpty(arguments[0]))
        {
            throw new ArgumentException("A host command needs at least a program name.", nameof(arguments));
        }

        foreach (var argument in arguments)
        {
            ArgumentNullException.ThrowIfNull(argument, nameof(arguments));
            if (argument.Contains('\0'))
            {
                throw new ArgumentException("A host command argument cannot contain a NUL character.", nameof(arguments));
            }
        }
    }
}
