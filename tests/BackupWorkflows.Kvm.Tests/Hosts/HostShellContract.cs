using System.Diagnostics;
using BackupWorkflows.Kvm.Hosts;
using BackupWorkflows.Testing;

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
        await Shell.RunAsync(["rm", "-f", pidFile]);

        // The real process must be gone soon after the time-out.
        await Eventually.UntilAsync(() => IsGoneAsync(pid), $"process {pid} on {ExpectedHost} gone after the time-out", TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task RunAsync_Cancelled_StopsTheCommandOnTheHost()
    {
        var pidFile = $"/tmp/bwf-cancel-{Guid.NewGuid():N}.pid";
        using var cts = new CancellationTokenSource();
        var running = Shell.RunAsync(["sh", "-c", "echo $$ > \"$1\"; exec sleep 60", "sh", pidFile], null, cts.Token);
        // Shells here reach this machine: wait for the pid file.
        await Eventually.UntilAsync(() => File.Exists(pidFile), $"{pidFile} written by the command");

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        var pid = (await File.ReadAllTextAsync(pidFile)).Trim();
        File.Delete(pidFile);

        await Eventually.UntilAsync(() => IsGoneAsync(pid), $"process {pid} on {ExpectedHost} gone after cancellation", TimeSpan.FromSeconds(10));
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
        // The command prints its second line only once the test has seen the first: a shell that delivered lines
        // only at the end would let it run into its time limit instead.
        var seen = Path.Combine(Path.GetTempPath(), $"bwf-seen-{Guid.NewGuid():N}");
        var lines = new List<string>();
        try
        {
            await foreach (var line in Shell.StreamLinesAsync(
                ["sh", "-c", "echo first; while [ ! -e \"$1\" ]; do sleep 0.1; done; echo second", "sh", seen],
                new HostCommandOptions { Timeout = TimeSpan.FromSeconds(30) }))
            {
                lines.Add(line);
                await File.WriteAllTextAsync(seen, "");
            }
        }
        finally
        {
            File.Delete(seen);
        }

        Assert.Equal(["first", "second"], lines);
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

    [Fact]
    public async Task RunAsync_StandardOutputTarget_GetsTheRawBytes()
    {
        // Every byte value (NUL, lone CR and LF, invalid UTF-8), then 4 MiB: bytes, not lines, and more than any buffer.
        var bytes = new byte[256 + (4 << 20)];
        for (var i = 0; i < 256; i++)
        {
            bytes[i] = (byte)i;
        }

        new Random(42).NextBytes(bytes.AsSpan(256));
        // Every shell here reaches this machine, so the host reads a file written here.
        var file = Path.Combine(Path.GetTempPath(), $"bwf-bytes-{Guid.NewGuid():N}");
        await File.WriteAllBytesAsync(file, bytes);
        using var target = new MemoryStream();
        var lines = 0;
        try
        {
            var result = await Shell.RunAsync(["cat", file], new HostCommandOptions { StandardOutputTarget = target, OnOutputLine = _ => lines++ });

            Assert.Equal("", result.StandardOutput);
        }
        finally
        {
            File.Delete(file);
        }

        Assert.Equal(bytes.Length, target.Length);
        Assert.True(bytes.AsSpan().SequenceEqual(target.ToArray()), "the copied bytes differ");
        Assert.Equal(0, lines);
    }

    [Fact]
    public async Task RunAsync_StandardOutputTargetWriteFails_StopsTheCommandAndThrowsTheWriteError()
    {
        // An endless output: only the failed write can end it.
        var error = await Assert.ThrowsAsync<IOException>(() => Shell.RunAsync(
            ["cat", "/dev/zero"], new HostCommandOptions { StandardOutputTarget = new FailingStream(), Timeout = TimeSpan.FromSeconds(60) }));

        Assert.Equal(FailingStream.Message, error.Message);
    }

    private async Task<bool> IsGoneAsync(string pid) =>
        (await Shell.RunAsync(["kill", "-0", pid], new HostCommandOptions { SuccessExitCodes = [0, 1] })).ExitCode != 0;
}

/// <summary>A target that takes 1 MiB, then fails like a client that went away.</summary>
internal sealed class FailingStream : Stream
{
    public const string Message = "the client went away";
    private long _written;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => _written;

    public override long Position { get => _written; set => throw new NotSupportedException(); }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count)
    {
        _written += count;
        if (_written > 1 << 20)
        {
            throw new IOException(Message);
        }
    }
}

public sealed class LocalHostShellTests : HostShellContract
{
    protected override IHostShell Shell { get; } = new LocalHostShell();

    protected override string ExpectedHost => "local";
}
