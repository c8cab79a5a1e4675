using System.Text.Json.Nodes;
using BackupWorkflows.Cli.Tests.Fixtures;

namespace BackupWorkflows.Cli.Tests;

[Collection(CliServerCollection.Name)]
public sealed class CommandTests(CliServer server)
{
    private static JsonNode Json(CliResult result)
    {
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Error}{result.Output}");
        return JsonNode.Parse(result.Output)!;
    }

    [Fact]
    public async Task HostList_ShowsTheEmbeddedDefault_AsTableAndJson()
    {
        var table = await server.RunAsync("host", "list");
        Assert.Equal(0, table.ExitCode);
        Assert.Contains("NAME", table.Output);
        Assert.Contains("local", table.Output);
        var json = Json(await server.RunAsync("host", "list", "--output", "json")).AsArray();
        Assert.Contains(json, h => h!["name"]!.GetValue<string>() == "local");
    }

    [Fact]
    public async Task JobList_Json_ShowsAFailedCompressionWithItsStateAttemptsAndReason()
    {
        var backup = Guid.NewGuid().ToString();
        var run = await server.RunAsync("workflow", "run", "compress", "--input", $"backupId={backup}", "--input", "host=local", "--wait");
        Assert.Equal(1, run.ExitCode);
        var jobs = Json(await server.RunAsync("job", "list", "--type", "compression", "--state", "failed", "--output", "json")).AsArray();
        var job = Assert.Single(jobs, j => j!["backupId"]?.GetValue<string>() == backup)!;
        Assert.Equal(("failed", 1, "local", "compress"), (job["state"]!.GetValue<string>(), job["attempts"]!.GetValue<int>(),
            job["host"]!.GetValue<string>(), job["definitionId"]!.GetValue<string>()));
        Assert.StartsWith("failed after 1 attempt(s): ", job["reason"]!.GetValue<string>());
        var table = await server.RunAsync("job", "list", "--state", "failed");
        Assert.Contains("REASON", table.Output);
        Assert.Contains("failed after 1 attempt(s)", table.Output);
        Assert.Equal(2, (await server.RunAsync("job", "list", "--state", "sleeping")).ExitCode);
    }

    [Fact]
    public async Task HostAdd_ValidAndInvalid()
    {
        var added = Json(await server.RunAsync("host", "add", "kvm-7", "--uri", "openssh://backup@192.0.2.7:2222", "--max-concurrent-backups", "4",
            "--max-concurrent-compressions", "1", "--staging-capacity-gib", "20", "-o", "json"));
        Assert.Equal(4, added["maxConcurrentBackups"]!.GetValue<int>());
        Assert.Equal(1, added["maxConcurrentCompressions"]!.GetValue<int>());
        Assert.Equal(20L << 30, added["stagingCapacityBytes"]!.GetValue<long>());
        var table = await server.RunAsync("host", "list");
        Assert.Contains("MAX COMPRESSIONS", table.Output);
        Assert.Contains("20.0 GiB", table.Output);
        var bad = await server.RunAsync("host", "add", "kvm-8", "--uri", "ftp://nope");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("uri:", bad.Error);
        Assert.Equal(0, (await server.RunAsync("host", "remove", "kvm-7")).ExitCode);
        Assert.Equal(1, (await server.RunAsync("host", "remove", "kvm-7")).ExitCode);
    }

    [Fact]
    public async Task RepoAdd_MakesRelativePathsAbsolute()
    {
        var repo = Json(await server.RunAsync("repo", "add", "rel", "--path", "some/dir", "-o", "json"));
        Assert.Equal(Path.GetFullPath("some/dir"), repo["path"]!.GetValue<string>());
        Assert.Contains("rel", (await server.RunAsync("repo", "list")).Output);
    }

    [Fact]
    public async Task OfferingCreate_WithOptions_AndUsageErrors()
    {
        var offering = Json(await server.RunAsync("offering", "create", "gold", "--chain-size", "3", "--compress", "--compression-library", "zlib",
            "--validate", "--allow-quick-restore", "-o", "json"));
        Assert.Equal("zlib", offering["compressionLibrary"]!.GetValue<string>());
        Assert.True(offering["allowQuickRestore"]!.GetValue<bool>());
        Assert.Equal(2, (await server.RunAsync("offering", "create", "x", "--compression-library", "zlib")).ExitCode);
        Assert.Equal(2, (await server.RunAsync("offering", "create", "x", "--compress", "--compression-library", "lz4")).ExitCode);
        Assert.Contains("gold", (await server.RunAsync("offering", "list")).Output);
    }

    [Fact]
    public async Task OfferingCreate_WithQuiescePolicy_IsShownInTheList()
    {
        var offering = Json(await server.RunAsync("offering", "create", "crashy", "--quiesce", "skip", "-o", "json"));
        Assert.Equal("skip", offering["quiesce"]!.GetValue<string>());
        var list = await server.RunAsync("offering", "list");
        Assert.Contains("QUIESCE", list.Output);
        Assert.Contains(list.Output.Split('\n'), line => line.Contains("crashy") && line.Contains("skip"));
        Assert.Equal(2, (await server.RunAsync("offering", "create", "y", "--quiesce", "sometimes")).ExitCode);
    }

    [Fact]
    public async Task OfferingCreate_WithStrategy_IsShownInTheList_DeltaByDefault()
    {
        var bitmap = Json(await server.RunAsync("offering", "create", "cbt", "--strategy", "bitmap", "-o", "json"));
        Assert.Equal("bitmap", bitmap["strategy"]!.GetValue<string>());
        var plain = Json(await server.RunAsync("offering", "create", "plain", "-o", "json"));
        Assert.Equal("delta", plain["strategy"]!.GetValue<string>());
        var list = await server.RunAsync("offering", "list");
        Assert.Contains("STRATEGY", list.Output);
        Assert.Contains(list.Output.Split('\n'), line => line.Contains("cbt") && line.Contains("bitmap"));
        Assert.Equal(2, (await server.RunAsync("offering", "create", "z", "--strategy", "snapshots")).ExitCode);
    }

    [Fact]
    public async Task OfferingAndScheduleCreate_NameTheirWorkflows_AndAMissingOneIsRefusedNamingTheOption()
    {
        var named = Json(await server.RunAsync("offering", "create", "named-flows", "--backup-workflow", "backup-with-retry", "-o", "json"));
        Assert.Equal(("backup-with-retry", "restore", "quick-restore"), (named["backupWorkflow"]!.GetValue<string>(),
            named["restoreWorkflow"]!.GetValue<string>(), named["quickRestoreWorkflow"]!.GetValue<string>()));
        Assert.Contains(( await server.RunAsync("offering", "list")).Output.Split('\n'), line => line.Contains("named-flows") && line.Contains("backup-with-retry"));
        var missing = await server.RunAsync("offering", "create", "ghost-flows", "--restore-workflow", "no-such-flow");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("restoreWorkflow", missing.Error);
        Assert.Contains("no workflow 'no-such-flow'", missing.Error);

        var schedule = Json(await server.RunAsync("schedule", "create", "--offering", "named-flows", "--cron", "weekly",
            "--workflow", "backup", "--input", "type=full", "-o", "json"));
        Assert.Equal("backup", schedule["workflow"]!.GetValue<string>());
        Assert.Equal("full", schedule["input"]!["type"]!.GetValue<string>());
        Assert.Contains((await server.RunAsync("schedule", "list")).Output.Split('\n'), line => line.Contains("named-flows") && line.Contains("backup"));
        var vmInInput = await server.RunAsync("schedule", "create", "--offering", "named-flows", "--cron", "daily", "--input", "vm=other");
        Assert.Equal(1, vmInInput.ExitCode);
        Assert.Contains("input", vmInInput.Error);
        Assert.Equal(0, (await server.RunAsync("schedule", "delete", schedule["id"]!.GetValue<string>())).ExitCode);
    }

    [Fact]
    public async Task Keys_CreateWithRole_ThenThatRoleIsEnforced()
    {
        var created = Json(await server.RunAsync("key", "create", "cli-viewer", "--role", "viewer", "-o", "json"));
        var key = created["key"]!.GetValue<string>();
        Assert.Equal(0, (await server.RunWithKeyAsync(key, "backup", "list")).ExitCode);
        var denied = await server.RunWithKeyAsync(key, "setting", "set", "schedules.default.keep", "2");
        Assert.Equal(1, denied.ExitCode);
        Assert.Contains("403", denied.Error);
        Assert.Contains("cli-viewer", (await server.RunAsync("key", "list")).Output);
        Assert.Equal(0, (await server.RunAsync("key", "revoke", "cli-viewer")).ExitCode);
        var revoked = await server.RunWithKeyAsync(key, "backup", "list");
        Assert.Equal(1, revoked.ExitCode);
        Assert.Contains("401", revoked.Error);
    }

    [Fact]
    public async Task Settings_SetAndList()
    {
        Assert.Equal(0, (await server.RunAsync("setting", "set", "schedules.misfire.policy", "skip")).ExitCode);
        var list = Json(await server.RunAsync("setting", "list", "-o", "json")).AsArray();
        Assert.Contains(list, s => s!["name"]!.GetValue<string>() == "schedules.misfire.policy" && s["value"]!.GetValue<string>() == "skip");
        var bad = await server.RunAsync("setting", "set", "schedules.misfire.policy", "sometimes");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("value:", bad.Error);
    }

    [Fact]
    public async Task WorkflowImportRunWait_FinishesAndFailuresPrintTheIncident()
    {
        var dir = Directory.CreateTempSubdirectory("bwf-cli-wf").FullName;
        var ok = Path.Combine(dir, "hello.json");
        await File.WriteAllTextAsync(ok, """
            { "id": "cli-hello", "name": "Hello", "inputs": [{ "name": "seconds", "type": "number" }],
              "activities": [ { "id": "start", "type": "Flow.Start" },
                              { "id": "nap", "type": "Flow.Delay", "inputs": { "seconds": "{{ input.seconds }}" } } ],
              "connections": [ { "source": "start", "target": "nap" } ] }
            """);
        var failing = Path.Combine(dir, "failing.json");
        await File.WriteAllTextAsync(failing, """
            { "id": "cli-failing", "name": "Failing",
              "activities": [ { "id": "start", "type": "Flow.Start" }, { "id": "boom", "type": "Flow.Fault", "inputs": { "message": "disk on fire" } } ],
              "connections": [ { "source": "start", "target": "boom" } ] }
            """);
        Assert.Equal(0, (await server.RunAsync("workflow", "import", ok, "--publish")).ExitCode);
        Assert.Equal(0, (await server.RunAsync("workflow", "import", failing, "--publish")).ExitCode);
        Assert.Contains("cli-hello", (await server.RunAsync("workflow", "list")).Output);
        var exported = Json(await server.RunAsync("workflow", "export", "cli-hello"));
        Assert.Equal("cli-hello", exported["id"]!.GetValue<string>());

        var run = await server.RunAsync("workflow", "run", "cli-hello", "--input", "seconds=0.5", "--wait");
        Assert.True(run.ExitCode == 0, run.Error + run.Output);
        Assert.Contains("finished", run.Output);

        var fail = await server.RunAsync("workflow", "run", "cli-failing", "--wait");
        Assert.Equal(1, fail.ExitCode);
        Assert.Contains("disk on fire", fail.Output);

        var runs = Json(await server.RunAsync("run", "list", "--status", "Faulted", "-o", "json")).AsArray();
        Assert.Contains(runs, r => r!["definitionId"]!.GetValue<string>() == "cli-failing");
        var id = runs.First(r => r!["definitionId"]!.GetValue<string>() == "cli-failing")!["id"]!.GetValue<string>();
        Assert.Contains("boom", (await server.RunAsync("run", "show", id)).Output);
    }

    [Fact]
    public async Task Help_NeverPrintsTheApiKey()
    {
        const string key = "bwf_never-print-me-0123456789";
        foreach (var args in new[] { new[] { "--help" }, ["backup", "create", "--help"], ["key", "list", "--help"] })
        {
            var help = await server.RunWithKeyAsync(key, args);
            Assert.Equal(0, help.ExitCode);
            Assert.Contains("--api-key", help.Output);
            Assert.DoesNotContain(key, help.Output + help.Error);
        }
    }

    [Fact]
    public async Task ErrorsAndUsage_GiveNonZeroExitCodes()
    {
        Assert.Equal(2, (await server.RunAsync("no-such-command")).ExitCode);
        Assert.Equal(2, (await server.RunAsync("schedule", "create", "--cron", "daily")).ExitCode);
        Assert.Equal(2, (await server.RunAsync("backup", "create", "vm1", "--full", "--isolated")).ExitCode);
        var unauthenticated = await server.RunWithKeyAsync("", "host", "list");
        Assert.Equal(1, unauthenticated.ExitCode);
        Assert.Contains("Unauthorized", unauthenticated.Error);
        var notAssigned = await server.RunAsync("backup", "create", "ghost-vm");
        Assert.Equal(1, notAssigned.ExitCode);
        Assert.Contains("not assigned", notAssigned.Error);
        var unreachable = await server.RunAsync("host", "list", "--server", "http://127.0.0.1:1");
        Assert.Equal(1, unreachable.ExitCode);
        Assert.Contains("Cannot reach", unreachable.Error);
        Assert.Equal(0, (await server.RunAsync("--help")).ExitCode);
        Assert.Equal(0, (await server.RunAsync("job", "list", "--type", "validation")).ExitCode);
        Assert.Equal(0, (await server.RunAsync("schedule", "list")).ExitCode);
        Assert.Equal(0, (await server.RunAsync("vm", "list")).ExitCode);
    }
}
