using System.Diagnostics;
using System.Globalization;

namespace BackupWorkflows.Testing;

/// <summary>Small helpers for fixtures that drive local programs.</summary>
public static class ProcessUtil
{
    /// <summary>Runs a program with an argument list; throws with its stderr when it fails. Returns stdout.</summary>
    public static Task<string> RunAsync(string program, params string[] arguments) =>
        RunInAsync(null, program, arguments);

    /// <summary>Runs a program in <paramref name="workingDirectory"/>; throws with its stderr when it fails. Returns stdout.</summary>
    public static async Task<string> RunInAsync(string? workingDirectory, string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory ?? "",
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["LC_ALL"] = "C.UTF-8";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await stderr}");
        }

        return await stdout;
    }

    /// <summary>Process ids whose parent is <paramref name="parentPid"/> (from /proc).</summary>
    public static IReadOnlyList<int> ChildrenOf(int parentPid)
    {
        var children = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                // /proc/PID/stat: "pid (comm) state ppid ..."; comm may hold spaces, so parse after the last ')'.
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (int.Parse(fields[1], CultureInfo.InvariantCulture) == parentPid)
                {
                    children.Add(pid);
                }
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
        }

        return children;
    }

    /// <summary>Process ids whose command line has an argument containing <paramref name="text"/> (from /proc).</summary>
    public static IReadOnlyList<int> WithArgumentContaining(string text)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            try
            {
                if (File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0').Any(a => a.Contains(text, StringComparison.Ordinal))) found.Add(pid);
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
        }

        return found;
    }
}
