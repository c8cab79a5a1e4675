using BackupWorkflows.Engine.Activities.Notify;
using BackupWorkflows.Engine.Definitions;
using BackupWorkflows.Engine.Tests.Fixtures;

namespace BackupWorkflows.Engine.Tests.Notify;

/// <summary>
/// <c>Notify.Email</c>'s inputs as a designer meets them: literal mistakes are problems on save, each on its input;
/// bindings are accepted (checked when the activity runs); recipient entries are addresses or comma lists.
/// </summary>
[Trait("Category", "Unit")]
public sealed class EmailDesignTests
{
    private static string Flow(string inputs) => $$"""
        { "id": "mails",
          "inputs": [ { "name": "host", "type": "string" }, { "name": "to", "type": "any" }, { "name": "password", "type": "string" } ],
          "activities": [
            { "id": "start", "type": "Flow.Start" },
            { "id": "mail", "type": "Notify.Email", "inputs": {{inputs}} } ],
          "connections": [ { "source": "start", "target": "mail" } ] }
        """;

    [Fact]
    public async Task Save_LiteralMistakes_AreProblemsOnEachInput_AndNothingIsSaved()
    {
        await using var engine = await EngineHost.StartAsync("sqlite");
        var e = await Assert.ThrowsAsync<WorkflowValidationException>(() => engine.Store.ImportAsync(Flow("""
            { "host": "smtp.example.test", "port": 70000, "tls": "ssl", "username": "ops", "certificateSha256": "AB:CD",
              "from": "nobody", "to": ["ops@example.test", "root"] }
            """), publish: true));

        var problems = e.Problems.Where(p => p.ActivityId == "mail").ToDictionary(p => p.Path!, p => p.Message);
        Assert.Equal(["inputs.certificateSha256", "inputs.from", "inputs.password", "inputs.port", "inputs.tls", "inputs.to"], problems.Keys.Order());
        Assert.Contains("64 hex digits", problems["inputs.certificateSha256"]);
        Assert.Contains("from 1 to 65535", problems["inputs.port"]);
        Assert.Contains("'ssl' is not a TLS mode: use starttls, tls, none", problems["inputs.tls"]);
        Assert.Contains("'nobody' is not one email address", problems["inputs.from"]);
        Assert.Contains("'root' is not an email address", problems["inputs.to"]);
        Assert.Contains("a username is given", problems["inputs.password"]);
        Assert.Empty(await engine.Store.ListAsync());
    }

    [Fact]
    public async Task Save_WithoutHostFromOrTo_NamesEachRequiredInput()
    {
        await using var engine = await EngineHost.StartAsync("sqlite");
        var e = await Assert.ThrowsAsync<WorkflowValidationException>(() => engine.Store.ImportAsync(Flow("""{ "subject": "x" }"""), publish: true));
        Assert.Equal(["inputs.from", "inputs.host", "inputs.to"],
            e.Problems.Where(p => p.Message.Contains("required")).Select(p => p.Path!).Order());
    }

    [Fact]
    public async Task Save_ALiteralEntryNextToABinding_IsChecked()
    {
        await using var engine = await EngineHost.StartAsync("sqlite");
        var e = await Assert.ThrowsAsync<WorkflowValidationException>(() => engine.Store.ImportAsync(Flow("""
            { "host": "smtp.example.test", "from": "backups@example.test", "to": ["{{ input.to }}", "nobody"] }
            """), publish: true));
        var problem = Assert.Single(e.Problems);
        Assert.Equal(("mail", "inputs.to"), (problem.ActivityId, problem.Path));
        Assert.Contains("'nobody' is not an email address", problem.Message);
    }

    [Fact]
    public async Task Save_ACertificatePinWithoutTls_IsAProblem()
    {
        await using var engine = await EngineHost.StartAsync("sqlite");
        var e = await Assert.ThrowsAsync<WorkflowValidationException>(() => engine.Store.ImportAsync(Flow("""
            { "host": "smtp.example.test", "tls": "none", "certificateSha256": "{{ input.password }}",
              "from": "backups@example.test", "to": ["ops@example.test"] }
            """), publish: true));
        var problem = Assert.Single(e.Problems);
        Assert.Equal("inputs.certificateSha256", problem.Path);
        Assert.Contains("tls is none", problem.Message);
    }

    [Fact]
    public async Task Save_BindingsAndTheDefaultTls_AreAccepted()
    {
        await using var engine = await EngineHost.StartAsync("sqlite");
        await engine.Store.ImportAsync(Flow("""
            { "host": "{{ input.host }}", "username": "ops", "password": "{{ input.password }}", "certificateSha256": "{{ input.host }}",
              "from": "Backups <backups@example.test>", "to": ["{{ input.to }}", "oncall@example.test"], "subject": "done", "body": "ok" }
            """), publish: true);
        Assert.Single(await engine.Store.ListAsync());
    }

    [Theory]
    [InlineData("ops@example.test", "ops@example.test")]
    [InlineData("ops@example.test, On Call <oncall@example.test>", "ops@example.test|oncall@example.test")]
    [InlineData("ops@example.test|a@example.test, b@example.test| ", "ops@example.test|a@example.test|b@example.test")]
    public void Recipients_EntriesAreAddressesOrCommaLists(string entries, string expected)
    {
        var recipients = EmailAddresses.Recipients(entries.Split('|'), out var problem);
        Assert.Null(problem);
        Assert.Equal(expected.Split('|'), recipients.Select(r => r.Address));
    }

    [Theory]
    [InlineData("root")]
    [InlineData("ops@")]
    [InlineData("ops@example.test|<>")]
    [InlineData("")]
    public void Recipients_WithoutADomainOrNone_AreAProblem(string entries)
    {
        Assert.Empty(EmailAddresses.Recipients(entries.Split('|'), out var problem));
        Assert.NotNull(problem);
    }

    [Theory]
    [InlineData("ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89")]
    [InlineData("ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789")]
    public void Fingerprint_IgnoresColonsAndCase(string text) =>
        Assert.Equal("ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789", SmtpTls.Fingerprint(text));

    [Fact]
    public void StartTls_IsTheDefault_OnPort587_ImplicitTlsOn465_ClearTextOn25()
    {
        Assert.Equal("starttls", SmtpTls.Default);
        Assert.Equal([587, 465, 25], SmtpTls.Modes.Select(m => SmtpTls.DefaultPort(SmtpTls.Options(m)!.Value)));
        Assert.Equal(MailKit.Security.SecureSocketOptions.StartTls, SmtpTls.Options(" StartTLS "));
    }
}
