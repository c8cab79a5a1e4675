using System.Globalization;

namespace BackupWorkflows.Engine.Tests.Crash;

/// <summary>Entry point of the test assembly when run as the crash test's child process.</summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args is ["crash-host", var db, var node, var lease, .. var rest] && rest is [] or ["parent"])
            return await CrashHost.RunAsync(db, node, double.Parse(lease, CultureInfo.InvariantCulture), asChild: rest is ["parent"]);
        await Console.Error.WriteLineAsync("usage: crash-host DBFILE NODEID LEASESECONDS [parent]");
        return 2;
    }
}
