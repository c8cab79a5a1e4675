using System.Diagnostics;
using BackupWorkflows.Kvm.Hosts;

namespace BackupWorkflows.Kvm.Tests.Hosts;

/// <summary>Behaviour every host shell must have; run against the local shell and a real sshd.</summary>
public abstract class HostShellContract
{
    protected abstract IHostShell Shell { get; }

    protected abstract string ExpectedHost { get; }

    [Fact]
    public async Task RunAsync_AwkwardArguments_ArriveUnchanged()
    {
        string[] awkward = ["", "a b", "it's", "\"q\"", "$HOME", "`id`", "$(id)", "x\ny", "naïve 日本", "*", "\\", "-e"];

        var result = await Shell.RunAsync(["printf", "%s\\0", .. awkward]);

        Assert.Equal(awkward, result.StandardOutput.Split('\0')[..^1]);
        Assert.Equal(ExpectedHost, result.Host);
    }

    [Fact]
    public async Task RunAsync_RunsInTheCUtf8Locale_SoParsedMessagesAreEnglish()
    {
        var result = await Shell.RunAsync(["sh", "-c", "echo \"$LC_ALL\""]);

        Assert.Equal("C.UTF-8\n", result.StandardOutput);
    }

    [Fact]
    public async Task RunAsync_StandardInput_IsDelivered()
    {
        var result = await Shell.RunAsync(["sha256sum"], new HostCommandOptions { StandardInput = "hello\n" });

        Assert.StartsWith("5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03", result.StandardOutput);
    }

    [Fact]
    public async Task RunAsync_NonZeroExit_ThrowsNamingHostCommandCodeAndStderr()
    {
        var error = await Assert.ThrowsAsync<HostCommandException>(() =>
            Shell.RunAsync(["sh", "-c", "echo progress; echo 'disk on fire' >&2; exit 7", "my arg"]));

        Assert.Equal(HostCommandFailure.NonZeroExit, error.Failure);
        Assert.Equal(7, error.ExitCode);
        Assert.Equal(ExpectedHost, error.Host);
        Assert.Equal("disk on fire", error.StandardErrorTail);
        Assert.Contains(ExpectedHost, error.Message);
        Assert.Contains("'my arg'", error.Message);
        Assert.Contains("exit code 7", error.Message);
        Assert.Contains("disk on fire", error.Message);
    }

    [Fact]
    public async Task RunAsync_AcceptedExitCode_ReturnsIt()
    {
        var result = await Shell.RunAsync(["sh", "-c", "exit 3"], new HostCommandOptions { SuccessExitCodes = [0, 3] });

        Assert.Equal(3, result.ExitCode);
    }

    [Fact]
    public async Task RunAsync_MissingProgram_Throws()
    {
        var error = await Assert.ThrowsAsync<HostCommandException>(() => Shell.RunAsync(["bwf-no-such-program", "x"]));

        Assert.Contains("bwf-no-such-program", error.Message);
        Assert.Contains(ExpectedHost, error.Message);
    }

    [Fact]
    public async Task RunAsync_OverTimeLimit_IsKilledAndThrowsTimedOut()
    {
        var watch = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<HostCommandException>(() =>
            Shell.RunAsync(["sleep", "30"], new HostCommandOptions { Timeout = TimeSpan.FromSeconds(1) }));

        Assert.Equal(HostCommandFailure.TimedOut, error.Failure);
        Assert.Contains("timed out", error.Message);
        Assert.Contains("'sleep' '30'", error.Message);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task RunAsync_OverTimeLimit_StopsTheCommandOnTheHost()
    {
        var pidFile = $"/tmp/bwf-timeout-{Guid.NewGuid():N}.pid";
        await Assert.ThrowsAsync<HostCommandException>(() => Shell.RunAsync(
            ["sh", "-c", "echo $$ > \"$1\"; exec sleep 60", "sh", pidFile],
            new HostCommandOptions { Timeout = TimeSpan.FromSeconds(1) }));
        var pid = (await Shell.RunAsync(["cat", pidFile])).StandardOutput.Trim();

        // Poll the real process with a deadline: it must be gone soon after the time-out.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        bool alive;
        do
        {
            alive = (await Shell.RunAsync(["kill", "-0", pid], new HostCommandOptions { SuccessExitCodes = [0, 1] })).ExitCode == 0;
        }
        while (alive && DateTime.UtcNow < deadline && await DelayTrue(100));

        await Shell.RunAsync(["rm", "-f", pidFile]);
        Assert.False(alive, $"process {pid} still runs on {ExpectedHost} after the time-out");
    }

    [Fact]
    public async Task RunAsync_Cancelled_StopsTheCommandOnTheHost()
    {
        var pidFile = $"/tmp/bwf-cancel-{Guid.NewGuid():N}.pid";
        using var cts = new CancellationTokenSource();
        var running = Shell.RunAsync(["sh", "-c", "echo $$ > \"$1\"; exec sleep 60", "sh", pidFile], null, cts.Token);
        // Shells here reach this machine: wait for the pid file (real process, with a deadline).
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!File.Exists(pidFile) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        var pid = (await File.ReadAllTextAsync(pidFile)).Trim();
        File.Delete(pidFile);

        bool alive;
        deadline = DateTime.UtcNow.AddSeconds(10);
        do
        {
            alive = (await Shell.RunAsync(["kill", "-0", pid], new HostCommandOptions { SuccessExitCodes = [0, 1] })).ExitCode == 0;
        }
        while (alive && DateTime.UtcNow < deadline && await DelayTrue(100));

        Assert.False(alive, $"process {pid} still runs on {ExpectedHost} after cancellation");
    }

    [Fact]
    public async Task RunAsync_Cancelled_ThrowsOperationCanceled()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Shell.RunAsync(["sleep", "30"], null, cts.Token));
    }

    [Fact]
    public async Task RunAsync_OnOutputLine_GetsLinesSplitOnNewlineAndCarriageReturn()
    {
        var lines = new List<string>();

        await Shell.RunAsync(
            ["printf", "%s", "one\ntwo\r\nthree\r(50%)\r(100%)\nlast"],
            new HostCommandOptions { OnOutputLine = lines.Add });

        Assert.Equal(["one", "two", "three", "(50%)", "(100%)", "last"], lines);
    }

    [Fact]
    public async Task StreamLinesAsync_YieldsLinesBeforeTheCommandEnds()
    {
        var watch = Stopwatch.StartNew();
        var firstAt = TimeSpan.Zero;
        var lines = new List<string>();

        await foreach (var line in Shell.StreamLinesAsync(["sh", "-c", "echo first; sleep 4; echo second"]))
        {
            if (lines.Count == 0)
            {
                firstAt = watch.Elapsed;
            }

            lines.Add(line);
        }

        // Relative to the end, so a slow start (ssh on a loaded machine) does not matter.
        Assert.Equal(["first", "second"], lines);
        Assert.True(watch.Elapsed - firstAt >= TimeSpan.FromSeconds(3), $"first line at {firstAt}, end at {watch.Elapsed}");
    }

    [Fact]
    public async Task StreamLinesAsync_FailingCommand_ThrowsAfterItsLines()
    {
        var lines = new List<string>();

        var error = await Assert.ThrowsAsync<HostCommandException>(async () =>
        {
            await foreach (var line in Shell.StreamLinesAsync(["sh", "-c", "echo a; echo b; echo broken >&2; exit 4"]))
            {
                lines.Add(line);
            }
        });

        Assert.Equal(["a", "b"], lines);
        Assert.Equal(4, error.ExitCode);
    }

    [Fact]
    public async Task RunAsync_ConcurrentCommands_AllSucceed()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Shell.RunAsync(["echo", $"n{i}"])));

        Assert.Equal(Enumerable.Range(0, 12).Select(i => $"n{i}\n"), results.Select(r => r.StandardOutput));
    }

    private static async Task<bool> DelayTrue(int milliseconds)
    {
        await Task.Delay(milliseconds);
        return true;
    }
}

public sealed class LocalHostShellTests : HostShellContract
{
    protected override IHostShell Shell { get; } = new LocalHostShell();

    protected override string ExpectedHost => "local";
}
