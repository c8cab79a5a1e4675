using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BackupWorkflows.Kvm.Domains;

namespace BackupWorkflows.Kvm.Agent;

/// <summary>
/// The QEMU guest agent of one domain, through <c>virsh qemu-agent-command</c>: ping, file-system
/// freeze, running programs and reading or writing files in the guest.
/// </summary>
/// <remarks>
/// Commands are built as JSON nodes and serialized, never by string formatting; the JSON reaches
/// virsh as one argument. Agent errors surface as <see cref="Hosts.HostCommandException"/> naming
/// the host and the virsh command.
/// </remarks>
public sealed class GuestAgent
{
    /// <summary>
    /// Raw bytes per <c>guest-file-write</c>. Its base64 (about 43 KiB) and the JSON around it stay below the 128 KiB
    /// limit of one argument and below SSH.NET's largest packet (68,536 bytes), which carries the whole command line of
    /// an <c>ssh://</c> host (48 KiB made a 66 KB line plus quoting: "Packet is too big" on a clean-clone run).
    /// </summary>
    private const int WriteChunk = 32 * 1024;

    /// <summary>Bytes asked per <c>guest-file-read</c>.</summary>
    private const int ReadChunk = 1024 * 1024;

    private readonly Virsh _virsh;

    /// <summary>The agent of <paramref name="domain"/>.</summary>
    public GuestAgent(Virsh virsh, string domain)
    {
        _virsh = virsh ?? throw new ArgumentNullException(nameof(virsh));
        Domain = domain;
    }

    /// <summary>The domain whose agent this is.</summary>
    public string Domain { get; }

    /// <summary>How long libvirt waits for each agent answer. Default 10 s.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Sends one command (<c>execute</c> plus optional <c>arguments</c>) and returns its <c>return</c> value.</summary>
    /// <exception cref="GuestAgentUnavailableException">The domain is not running, has no agent, or the agent does not answer.</exception>
    /// <exception cref="Hosts.HostCommandException">The agent answered with an error (the message carries it).</exception>
    public async Task<JsonElement> ExecuteAsync(string command, JsonObject? arguments = null, CancellationToken cancellationToken = default)
    {
        var request = new JsonObject { ["execute"] = command };
        if (arguments is not null)
        {
            request["arguments"] = arguments;
        }

        try
        {
            using var reply = await _virsh.QemuAgentCommandAsync(Domain, request.ToJsonString(), CommandTimeout, cancellationToken)
                .ConfigureAwait(false);
            return reply.RootElement.TryGetProperty("return", out var value) ? value.Clone() : default;
        }
        catch (Hosts.HostCommandException e) when (GuestAgentUnavailableException.Matches(e))
        {
            throw new GuestAgentUnavailableException(Domain, e);
        }
    }

    /// <summary>Checks the agent answers (<c>guest-ping</c>); throws when it does not.</summary>
    public Task PingAsync(CancellationToken cancellationToken = default) => ExecuteAsync("guest-ping", null, cancellationToken);

    /// <summary>Whether the agent answers a ping (false when it is unavailable; other failures throw).</summary>
    public async Task<bool> TryPingAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await PingAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (GuestAgentUnavailableException)
        {
            return false;
        }
    }

    /// <summary>Freezes the guest's file systems (<c>guest-fsfreeze-freeze</c>, or <c>-freeze-list</c>
    /// for given mount points). Always pair with <see cref="ThawAsync"/>: a frozen guest blocks every write.</summary>
    /// <returns>How many file systems were frozen.</returns>
    public async Task<int> FreezeAsync(IReadOnlyList<string>? mountPoints = null, CancellationToken cancellationToken = default)
    {
        var result = mountPoints is null
            ? await ExecuteAsync("guest-fsfreeze-freeze", null, cancellationToken).ConfigureAwait(false)
            : await ExecuteAsync(
                "guest-fsfreeze-freeze-list",
                new JsonObject { ["mountpoints"] = new JsonArray(mountPoints.Select(m => (JsonNode)JsonValue.Create(m)!).ToArray()) },
                cancellationToken).ConfigureAwait(false);
        return result.GetInt32();
    }

    /// <summary>Thaws the guest's file systems (<c>guest-fsfreeze-thaw</c>). Returns how many were thawed.</summary>
    public async Task<int> ThawAsync(CancellationToken cancellationToken = default) =>
        (await ExecuteAsync("guest-fsfreeze-thaw", null, cancellationToken).ConfigureAwait(false)).GetInt32();

    /// <summary>The freeze state (<c>guest-fsfreeze-status</c>).</summary>
    public async Task<FreezeStatus> GetFreezeStatusAsync(CancellationToken cancellationToken = default)
    {
        var status = (await ExecuteAsync("guest-fsfreeze-status", null, cancellationToken).ConfigureAwait(false)).GetString();
        return status == "frozen" ? FreezeStatus.Frozen : FreezeStatus.Thawed;
    }

    /// <summary>Runs a program in the guest (<c>guest-exec</c> with captured output) and polls
    /// <c>guest-exec-status</c> until it ends.</summary>
    /// <param name="path">Program path in the guest.</param>
    /// <param name="arguments">Its arguments (passed as a list, no shell involved).</param>
    /// <param name="standardInput">Bytes for its standard input, or null.</param>
    /// <param name="timeout">How long to wait for it; null waits 60 s.</param>
    /// <param name="cancellationToken">Stops waiting (the program keeps running in the guest).</param>
    /// <exception cref="TimeoutException">It did not end in time.</exception>
    public async Task<GuestExecResult> ExecAsync(
        string path, IReadOnlyList<string>? arguments = null, byte[]? standardInput = null, TimeSpan? timeout = null,
        CancellationToken cancellationToken = default)
    {
        var request = new JsonObject
        {
            ["path"] = path,
            ["arg"] = new JsonArray((arguments ?? []).Select(a => (JsonNode)JsonValue.Create(a)!).ToArray()),
            ["capture-output"] = true,
        };
        if (standardInput is not null)
        {
            request["input-data"] = Convert.ToBase64String(standardInput);
        }

        var pid = (await ExecuteAsync("guest-exec", request, cancellationToken).ConfigureAwait(false)).GetProperty("pid").GetInt64();
        var clock = _virsh.TimeProvider;
        var started = clock.GetTimestamp();
        var limit = timeout ?? TimeSpan.FromSeconds(60);
        var delay = TimeSpan.FromMilliseconds(20);
        while (true)
        {
            var status = await ExecuteAsync("guest-exec-status", new JsonObject { ["pid"] = pid }, cancellationToken).ConfigureAwait(false);
            if (status.GetProperty("exited").GetBoolean())
            {
                return new GuestExecResult(
                    status.TryGetProperty("exitcode", out var code) ? code.GetInt32() : null,
                    status.TryGetProperty("signal", out var signal) ? signal.GetInt32() : null,
                    Base64(status, "out-data"),
                    Base64(status, "err-data"),
                    Flag(status, "out-truncated") || Flag(status, "err-truncated"));
            }

            if (clock.GetElapsedTime(started) > limit)
            {
                throw new TimeoutException($"'{path}' (pid {pid.ToString(CultureInfo.InvariantCulture)}) in guest '{Domain}' did not end within {limit}.");
            }

            await Task.Delay(delay, clock, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromMilliseconds(Math.Min(250, delay.TotalMilliseconds * 2));
        }
    }

    /// <summary>Runs <c>/bin/sh -c SCRIPT [ARGS…]</c> in the guest and returns its standard output;
    /// a non-zero exit throws <see cref="GuestExecException"/> with its standard error.</summary>
    /// <param name="script">Shell script; pass data as <paramref name="arguments"/> (<c>$1</c>, <c>$2</c>…), never by formatting it in.</param>
    /// <param name="arguments">Positional parameters for the script.</param>
    /// <param name="timeout">How long to wait; null waits 60 s.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    public async Task<string> ShellAsync(
        string script, IReadOnlyList<string>? arguments = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var result = await ExecAsync("/bin/sh", ["-c", script, "sh", .. arguments ?? []], null, timeout, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new GuestExecException(
                $"Script in guest '{Domain}' ended with exit code {result.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "none"}" +
                $" (signal {result.Signal?.ToString(CultureInfo.InvariantCulture) ?? "none"}): {result.StandardError.Trim()}",
                result);
        }

        return result.StandardOutput;
    }

    /// <summary>Writes a file in the guest (<c>guest-file-open</c> "w", chunked <c>guest-file-write</c>, <c>guest-file-close</c>).</summary>
    public async Task WriteFileAsync(string path, byte[] content, CancellationToken cancellationToken = default)
    {
        await using var file = await CreateFileAsync(path, overwrite: true, cancellationToken).ConfigureAwait(false);
        await file.WriteAsync(content, cancellationToken).ConfigureAwait(false);
        await file.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Opens a file in the guest for writing, piece by piece (<see cref="GuestFileWriter"/>).</summary>
    /// <param name="path">Path in the guest.</param>
    /// <param name="overwrite">True truncates an existing file (<c>"w"</c>). False never replaces content: the
    /// agent has no O_EXCL mode, so the file is opened for appending (<c>"a"</c>, created when missing, never
    /// truncated) and refused when it already holds bytes.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <exception cref="Hosts.HostCommandException">The agent could not open it (no such directory, …).</exception>
    /// <exception cref="IOException">Not overwriting, and the file exists with content (left as it was).</exception>
    public async Task<GuestFileWriter> CreateFileAsync(string path, bool overwrite, CancellationToken cancellationToken = default)
    {
        var writer = new GuestFileWriter(this, path, await OpenAsync(path, overwrite ? "w" : "a", cancellationToken).ConfigureAwait(false));
        if (overwrite)
        {
            return writer;
        }

        var end = await ExecuteAsync("guest-file-seek", new JsonObject { ["handle"] = writer.Handle, ["offset"] = 0, ["whence"] = "end" }, cancellationToken)
            .ConfigureAwait(false);
        if (end.GetProperty("position").GetInt64() == 0)
        {
            return writer;
        }

        await writer.DisposeAsync().ConfigureAwait(false);
        throw new IOException($"'{path}' exists in guest '{Domain}' and is not overwritten.");
    }

    /// <summary>Reads a whole file from the guest (<c>guest-file-open</c> "r", <c>guest-file-read</c> until EOF).</summary>
    public async Task<byte[]> ReadFileAsync(string path, CancellationToken cancellationToken = default)
    {
        var handle = await OpenAsync(path, "r", cancellationToken).ConfigureAwait(false);
        try
        {
            using var content = new MemoryStream();
            while (true)
            {
                var chunk = await ExecuteAsync("guest-file-read", new JsonObject { ["handle"] = handle, ["count"] = ReadChunk }, cancellationToken)
                    .ConfigureAwait(false);
                content.Write(Convert.FromBase64String(chunk.GetProperty("buf-b64").GetString() ?? ""));
                if (chunk.GetProperty("eof").GetBoolean() || chunk.GetProperty("count").GetInt32() == 0)
                {
                    return content.ToArray();
                }
            }
        }
        finally
        {
            await ExecuteAsync("guest-file-close", new JsonObject { ["handle"] = handle }, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task<long> OpenAsync(string path, string mode, CancellationToken cancellationToken) =>
        (await ExecuteAsync("guest-file-open", new JsonObject { ["path"] = path, ["mode"] = mode }, cancellationToken).ConfigureAwait(false))
        .GetInt64();

    private static byte[] Base64(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.GetString() is { } s ? Convert.FromBase64String(s) : [];

    private static bool Flag(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    /// <summary>A file open for writing in the guest: write chunks, then <see cref="CompleteAsync"/>; disposing closes it.</summary>
    public sealed class GuestFileWriter : IAsyncDisposable
    {
        private readonly GuestAgent _agent;
        private readonly long _handle;
        private int _closed;

        internal GuestFileWriter(GuestAgent agent, string path, long handle)
        {
            _agent = agent;
            _handle = handle;
            Path = path;
        }

        /// <summary>The file's path in the guest.</summary>
        public string Path { get; }

        internal long Handle => _handle;

        /// <summary>Appends bytes (in <c>guest-file-write</c> calls of at most 32 KiB).</summary>
        /// <exception cref="IOException">The agent wrote fewer bytes than given.</exception>
        public async Task WriteAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
        {
            for (var offset = 0; offset < content.Length; offset += WriteChunk)
            {
                var chunk = content.Slice(offset, Math.Min(WriteChunk, content.Length - offset));
                var written = await _agent.ExecuteAsync(
                    "guest-file-write",
                    new JsonObject { ["handle"] = _handle, ["buf-b64"] = Convert.ToBase64String(chunk.Span) },
                    cancellationToken).ConfigureAwait(false);
                if (written.GetProperty("count").GetInt32() != chunk.Length)
                {
                    throw new IOException($"Short write to '{Path}' in guest '{_agent.Domain}'.");
                }
            }
        }

        /// <summary>Flushes what was written (<c>guest-file-flush</c>).</summary>
        public Task CompleteAsync(CancellationToken cancellationToken = default) =>
            _agent.ExecuteAsync("guest-file-flush", new JsonObject { ["handle"] = _handle }, cancellationToken);

        /// <summary>Closes the file (<c>guest-file-close</c>).</summary>
        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _closed, 1) == 0)
            {
                await _agent.ExecuteAsync("guest-file-close", new JsonObject { ["handle"] = _handle }, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }
}
