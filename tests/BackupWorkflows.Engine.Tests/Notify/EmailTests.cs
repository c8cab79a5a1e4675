using System.Text.Json;
using System.Text.Json.Nodes;
using BackupWorkflows.Engine.Runtime;
using BackupWorkflows.Engine.Tests.Fixtures;
using BackupWorkflows.Testing;
using BackupWorkflows.Testing.Mail;

namespace BackupWorkflows.Engine.Tests.Notify;

/// <summary>
/// <c>Notify.Email</c> against a real SMTP server on 127.0.0.1 (<see cref="SmtpSink"/>, aiosmtpd): the message built
/// from bindings arrives from the right sender to every recipient after a real AUTH, and the password never reaches the
/// journal; STARTTLS (the default) and implicit TLS send encrypted to a pinned self-signed certificate; a 5xx answer,
/// a refused login, a server without STARTTLS, an untrusted certificate and a bad address fault at once; a 4xx answer
/// and a refused connection are retried by the engine's retry policy.
/// </summary>
public sealed class EmailTests
{
    private static string Flow(string id, JsonObject email, JsonObject? retry = null)
    {
        var activity = new JsonObject { ["id"] = "mail", ["type"] = "Notify.Email", ["inputs"] = email };
        if (retry is not null) activity["retry"] = retry;
        return new JsonObject
        {
            ["id"] = id,
            ["inputs"] = new JsonArray(new JsonObject { ["name"] = "vm", ["type"] = "string" },
                new JsonObject { ["name"] = "password", ["type"] = "string" }, new JsonObject { ["name"] = "to", ["type"] = "any" }),
            ["activities"] = new JsonArray(new JsonObject { ["id"] = "start", ["type"] = "Flow.Start" }, activity),
            ["connections"] = new JsonArray(new JsonObject { ["source"] = "start", ["target"] = "mail" }),
        }.ToJsonString();
    }

    /// <summary>Inputs of a clear-text send to the sink as user ops with the bound password.</summary>
    private static JsonObject Email(SmtpSink sink) => new()
    {
        ["host"] = sink.Host,
        ["port"] = sink.Port,
        ["tls"] = "none",
        ["username"] = "ops",
        ["password"] = "{{ input.password }}",
        ["from"] = "Backups <backups@example.test>",
        ["to"] = "{{ input.to }}",
        ["subject"] = "backup of {{ input.vm }} failed",
        ["body"] = "The backup of {{ input.vm }} failed.\nInstance {{ instance.id }}.",
    };

    private static JsonObject Input(string password = "s3cret-pw", JsonNode? to = null) => new()
    {
        ["vm"] = "web1", ["password"] = password, ["to"] = to ?? new JsonArray("ops@example.test", "On Call <oncall@example.test>"),
    };

    private static JsonObject QuickRetry => new() { ["maxAttempts"] = 2, ["baseDelaySeconds"] = 0.1 };

    [Fact]
    public async Task Email_SendsTheBoundMessage_AfterLoggingIn_AndMasksThePassword()
    {
        await using var sink = await SmtpSink.StartAsync(new SmtpSinkOptions { Logins = new Dictionary<string, string> { ["ops"] = "s3cret-pw" } });
        await using var engine = await EngineHost.StartAsync("sqlite");
        await engine.PublishAsync(Flow("mail", Email(sink)));
        var info = await engine.RunAsync("mail", Input());
        Assert.True(info.Status == WorkflowStatus.Finished, $"{info.Status}: {info.Fault}\n{string.Join('\n', sink.Log)}");

        var message = Assert.Single(sink.Messages);
        Assert.Equal(("backups@example.test", "ops"), (message.MailFrom, message.Login)); // the server checked the password
        Assert.Equal(["ops@example.test", "oncall@example.test"], message.RcptTos);
        Assert.Equal("Backups <backups@example.test>", message.From);
        Assert.Equal("ops@example.test, On Call <oncall@example.test>", message.To);
        Assert.Equal("backup of web1 failed", message.Subject);
        Assert.Equal($"The backup of web1 failed.\nInstance {info.Id}.", message.Body!.TrimEnd('\n'));

        var entry = Assert.Single(await engine.JournalAsync(info.Id), j => j.ActivityId == "mail");
        Assert.Equal(("Completed", "Done"), (entry.Status.ToString(), entry.Outcome));
        Assert.Equal("***", entry.Inputs!["password"]!.GetValue<string>());
        Assert.Equal("ops", entry.Inputs["username"]!.GetValue<string>());
        Assert.DoesNotContain("s3cret-pw", JsonSerializer.Serialize(entry));
        Assert.Equal(["ops@example.test", "oncall@example.test"], entry.Outputs!["recipients"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Contains("queued as 0001", entry.Outputs["response"]!.GetValue<string>());
        Assert.Contains(entry.Lines, l => l.Contains("without TLS")); // a clear-text login is said in the journal
    }

    [Fact]
    public async Task Email_ARecipientRejectedWith5xx_FaultsAtOnce_WithTheServersReply()
    {
        await using var sink = await SmtpSink.StartAsync(new SmtpSinkOptions
        {
            Logins = new Dictionary<string, string> { ["ops"] = "s3cret-pw" },
            RcptReply = "550 5.1.1 <ops@example.test>: Recipient address rejected: no such user",
        });
        await using var engine = await EngineHost.StartAsync("sqlite");
        await engine.PublishAsync(Flow("mail-550", Email(sink), QuickRetry));
        var info = await engine.RunAsync("mail-550", Input(to: new JsonArray("ops@example.test")));

        Assert.Equal(WorkflowStatus.Faulted, info.Status);
        Assert.Contains("refused the recipient ops@example.test: 550 5.1.1 <ops@example.test>: Recipient address rejected: no such user", info.Fault);
        Assert.Equal([1], (await engine.JournalAsync(info.Id)).Where(j => j.ActivityId == "mail").Select(j => j.Attempt)); // not retried
        Assert.Single(sink.Commands, c => c.StartsWith("RCPT", StringComparison.Ordinal));
        Assert.Empty(sink.Messages);
    }

    [Fact]
    public async Task Email_ARecipientDeferredWith4xx_IsRetried_ThenFaults()
    {
        await using var sink = await SmtpSink.StartAsync(new SmtpSinkOptions { RcptReply = "451 4.3.0 Try again later" });
        await using var engine = await EngineHost.StartAsync("sqlite");
        var email = Email(sink);
        email.Remove("username");
        email.Remove("password");
        await engine.PublishAsync(Flow("mail-451", email, QuickRetry));
        var info = await engine.RunAsync("mail-451", Input(to: new JsonArray("ops@example.test")));

        Assert.Equal(WorkflowStatus.Faulted, info.Status);
        var attempts = (await engine.JournalAsync(info.Id)).Where(j => j.ActivityId == "mail").ToList();
        Assert.Equal([(1, "Faulted"), (2, "Faulted")], attempts.Select(a => (a.Attempt, a.Status.ToString())));
        Assert.All(attempts, a => Assert.Contains("deferred the recipient ops@example.test: 451 4.3.0 Try again later", a.Error));
        Assert.Equal(2, sink.Commands.Count(c => c.StartsWith("RCPT", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Email_ConnectionRefused_IsRetried_ThenFaults()
    {
        var closed = LoopbackPort.Free(); // nothing listens there
        await using var engine = await EngineHost.StartAsync("sqlite");
        var email = new JsonObject { ["host"] = "127.0.0.1", ["port"] = closed, ["tls"] = "none", ["from"] = "backups@example.test", ["to"] = "{{ input.to }}" };
        await engine.PublishAsync(Flow("mail-down", email, QuickRetry));
        var info = await engine.RunAsync("mail-down", Input(to: new JsonArray("ops@example.test")));

        Assert.Equal(WorkflowStatus.Faulted, info.Status);
        Assert.Contains($"SMTP 127.0.0.1:{closed}", info.Fault);
        Assert.Equal([1, 2], (await engine.JournalAsync(info.Id)).Where(j => j.ActivityId == "mail").Select(j => j.Attempt));
    }

    [Fact]
    public async Task Email_AWrongPassword_FaultsAtOnce_NamingTheLogin()
    {
        await using var sink = await SmtpSink.StartAsync(new SmtpSinkOptions { Logins = new Dictionary<string, string> { ["ops"] = "s3cret-pw" } });
        await using var engine = await EngineHost.StartAsync("sqlite");
        await engine.PublishAsync(Flow("mail-login", Email(sink), QuickRetry));
        var info = await engine.RunAsync("mail-login", Input(password: "wrong-pw"));

        Assert.Equal(WorkflowStatus.Faulted, info.Status);
        Assert.Contains($"SMTP 127.0.0.1:{sink.Port} refused the login of 'ops'", info.Fault);
        Assert.DoesNotContain("wrong-pw", info.Fault);
        Assert.Single(await engine.JournalAsync(info.Id), j => j.ActivityId == "mail");
        Assert.Empty(sink.Messages);
    }

    [Fact]
    public async Task Email_ByDefault_RequiresStartTls_AndSendsNothingInClearToAServerWithoutIt()
    {
        await using var sink = await SmtpSink.StartAsync(new SmtpSinkOptions { Logins = new Dictionary<string, string> { ["ops"] = "s3cret-pw" } });
        await using var engine = await EngineHost.StartAsync("sqlite");
        var email = Email(sink);
        email.Remove("tls");
        await engine.PublishAsync(Flow("mail-starttls", email, QuickRetry));
        var info = await engine.RunAsync("mail-starttls", Input());

        Assert.Equal(WorkflowStatus.Faulted, info.Status);
        Assert.Contains("tls: starttls", info.Fault);
        Assert.Contains("STARTTLS", info.Fault);
        Assert.Single(await engine.JournalAsync(info.Id), j => j.ActivityId == "mail");
        Assert.Empty(sink.Commands); // no AUTH, no MAIL: the password and the message stayed home
    }

    [Theory]
    [InlineData(null)]
    [InlineData("00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF")]
    public async Task Email_StartTls_ToAnUntrustedOrOtherCertificate_FaultsAtOnce_BeforeTheLogin(string? pin)
    {
        await using var sink = await SmtpSink.StartAsync(new SmtpSinkOptions
        {
            Logins = new Dictionary<string, string> { ["ops"] = "s3cret-pw" },
            Tls = SmtpSinkTls.StartTls,
        });
        await using var engine = await EngineHost.StartAsync("sqlite");
        var email = Email(sink);
        email["tls"] = "starttls";
        if (pin is not null) email["certificateSha256"] = pin;
        await engine.PublishAsync(Flow("mail-cert", email, QuickRetry));
        var info = await engine.RunAsync("mail-cert", Input());

        Assert.Equal(WorkflowStatus.Faulted, info.Status);
        Assert.Contains("the TLS handshake (tls: starttls) failed", info.Fault);
        Assert.Contains("certificate could not be validated", info.Fault);
        Assert.Single(await engine.JournalAsync(info.Id), j => j.ActivityId == "mail");
        Assert.Empty(sink.Commands); // the upgrade failed before AUTH: the password was not sent
    }

    [Theory]
    [InlineData(SmtpSinkTls.StartTls, null)]
    [InlineData(SmtpSinkTls.Implicit, "tls")]
    public async Task Email_OverTls_ToThePinnedCertificate_LogsInAndSendsEncrypted(SmtpSinkTls mode, string? tls)
    {
        await using var sink = await SmtpSink.StartAsync(new SmtpSinkOptions
        {
            Logins = new Dictionary<string, string> { ["ops"] = "s3cret-pw" },
            Tls = mode,
        });
        await using var engine = await EngineHost.StartAsync("sqlite");
        var email = Email(sink);
        email.Remove("tls"); // starttls, the default
        if (tls is not null) email["tls"] = tls;
        email["certificateSha256"] = sink.CertificateSha256!.ToLowerInvariant(); // openssl's AB:CD:… in any case
        await engine.PublishAsync(Flow("mail-tls", email));
        var info = await engine.RunAsync("mail-tls", Input());
        Assert.True(info.Status == WorkflowStatus.Finished, $"{info.Status}: {info.Fault}\n{string.Join('\n', sink.Log)}");

        var message = Assert.Single(sink.Messages);
        Assert.StartsWith("TLSv1.", message.Tls);
        Assert.Equal(("ops", "backup of web1 failed"), (message.Login, message.Subject));
        var entry = Assert.Single(await engine.JournalAsync(info.Id), j => j.ActivityId == "mail");
        Assert.DoesNotContain(entry.Lines, l => l.Contains("without TLS"));
    }

    [Theory]
    [InlineData("[\"not an address\"]", "Email input 'to' 'not an address' is not an email address")]
    [InlineData("[\"ops@example.test\", \"root\"]", "Email input 'to' 'root' is not an email address")]
    [InlineData("[]", "Email input 'to' has no address")]
    [InlineData("{ \"a\": 1 }", "Input 'to' value {\"a\":1} is not a valid array")]
    public async Task Email_ABadRecipient_FaultsAtOnce_NamingTheInput_WithoutConnecting(string to, string expected)
    {
        await using var sink = await SmtpSink.StartAsync(new SmtpSinkOptions { Logins = new Dictionary<string, string> { ["ops"] = "s3cret-pw" } });
        await using var engine = await EngineHost.StartAsync("sqlite");
        await engine.PublishAsync(Flow("mail-bad", Email(sink), QuickRetry));
        var info = await engine.RunAsync("mail-bad", Input(to: JsonNode.Parse(to)));

        Assert.Equal(WorkflowStatus.Faulted, info.Status);
        Assert.Contains(expected, info.Fault);
        Assert.Single(await engine.JournalAsync(info.Id), j => j.ActivityId == "mail");
        Assert.Empty(sink.Commands);
    }
}
