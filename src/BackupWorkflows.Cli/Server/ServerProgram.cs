using System.Runtime.InteropServices;

namespace BackupWorkflows.Cli.Server;

/// <summary>Where the server program and the <c>dotnet</c> host that runs it are.</summary>
internal static class ServerProgram
{
    private const string Dll = "BackupWorkflows.Server.dll";

    /// <summary>
    /// BWF_SERVER_DLL, else the server next to bwf (an installation: deploy/install.sh publishes both into one
    /// folder), else the Release (then Debug) build in the repository around the current directory; null when none exists.
    /// </summary>
    public static string? Locate()
    {
        if (Environment.GetEnvironmentVariable("BWF_SERVER_DLL") is { Length: > 0 } configured) return Path.GetFullPath(configured);
        var installed = Path.Combine(AppContext.BaseDirectory, Dll);
        if (File.Exists(installed)) return installed;
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            foreach (var configuration in new[] { "Release", "Debug" })
            {
                var built = Path.Combine(dir.FullName, "src", "BackupWorkflows.Server", "bin", configuration, "net10.0", Dll);
                if (File.Exists(built)) return built;
            }
        }
        return null;
    }

    /// <summary>The <c>dotnet</c> host running bwf now (bwf.dll under the muxer), else the one of the runtime bwf runs on.</summary>
    public static string DotnetHost()
    {
        if (Environment.ProcessPath is { } self && Path.GetFileName(self) == "dotnet") return self;
        // RuntimeDirectory is <dotnet root>/shared/Microsoft.NETCore.App/<version>/.
        var root = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        var host = Path.Combine(root, "dotnet");
        return File.Exists(host) ? host : "/usr/bin/dotnet";
    }
}
