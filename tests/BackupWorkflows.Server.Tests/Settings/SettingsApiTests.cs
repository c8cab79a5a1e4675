using System.Net;
using System.Net.Http.Json;
using BackupWorkflows.Backup.Persistence;
using BackupWorkflows.Backup.Settings;
using BackupWorkflows.Server.Tests.Fixtures;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BackupWorkflows.Server.Tests.Settings;

/// <summary>The settings API over the one catalog, and settings that must never stop the server.</summary>
public sealed class SettingsApiTests(ServerFactory server) : IClassFixture<ServerFactory>
{
    [Theory]
    [InlineData("jobs.poll.interval.seconds", "5000000", "from 0.05 to 3600")]
    [InlineData("jobs.poll.interval.seconds", "1e300", "from 0.05 to 3600")]
    [InlineData("compression.coroutines", "17", "from 1 to 16")]
    [InlineData("compression.coroutines", " 5 ", "without spaces or control characters")]
    [InlineData("compression.coroutines", "1\u0000", "without spaces or control characters")]
    [InlineData("schedules.default.keep", "-1", "from 0 to 10000")]
    public async Task Put_ValueOutsideTheRule_Is400NamingTheSettingAndItsRange_AndChangesNothing(string name, string value, string allowed)
    {
        var before = await ValueAsync(name);
        var problem = await (await server.Admin().PutAsJsonAsync($"/api/settings/{name}", new { value })).AssertProblemAsync(HttpStatusCode.BadRequest);
        var message = problem["errors"]!["value"]![0]!.GetValue<string>();
        Assert.Contains(name, message);
        Assert.Contains(allowed, message);
        Assert.Equal(before, await ValueAsync(name));
    }

    [Fact]
    public async Task Put_RenamedSetting_Is404SayingItsNewName()
    {
        var problem = await (await server.Admin().PutAsJsonAsync("/api/settings/validation.bootTimeoutSeconds", new { value = "120" }))
            .AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains("validation.boot.timeout.seconds", problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task List_ShowsKindAndAllowedRange()
    {
        var list = (await (await server.Admin().GetAsync("/api/settings")).OkJsonAsync()).AsArray();
        var coroutines = list.Single(s => s!["name"]!.GetValue<string>() == "compression.coroutines")!;
        Assert.Equal("integer", coroutines["kind"]!.GetValue<string>());
        Assert.Equal("a whole number from 1 to 16", coroutines["allowed"]!.GetValue<string>());
        Assert.Equal(SettingCatalog.All.Count, list.Count);
    }

    [Fact]
    public async Task StoredPollIntervalOutOfRange_WhileRunning_DoesNotStopTheServer()
    {
        await (await server.Admin().PutAsJsonAsync("/api/settings/jobs.poll.interval.seconds", new { value = "0.05" })).OkJsonAsync();
        // As an older node (no upper bounds) would write it: Task.Delay cannot wait 5,000,000 s and threw out of the job loop.
        await server.WithAsync<BackupDbContext>(db => db.Settings.Where(s => s.Name == SettingCatalog.JobsPollIntervalSeconds)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.Value, "5000000")));
        var lifetime = server.Services.GetRequiredService<IHostApplicationLifetime>();

        // Two reads of the bad value by the job runner: the loop waited its fallback between them.
        await server.Log.WaitForAsync("Stored setting jobs.poll.interval.seconds is not allowed", 2,
            () => lifetime.ApplicationStopping.IsCancellationRequested, TimeSpan.FromSeconds(30));
        Assert.False(lifetime.ApplicationStopping.IsCancellationRequested, string.Join('\n', server.Log.Lines));
        Assert.Equal("5", await ValueAsync("jobs.poll.interval.seconds"));
        await (await server.Admin().PutAsJsonAsync("/api/settings/jobs.poll.interval.seconds", new { value = "5" })).OkJsonAsync();
    }

    [Fact]
    public async Task StoredPollIntervalOutOfRange_AtStart_IsResetWithAWarning_AndTheServerRuns()
    {
        var data = Directory.CreateTempSubdirectory("bwf-server-tests-").FullName;
        var options = new DbContextOptionsBuilder<BackupDbContext>().UseSqlite($"Data Source={Path.Combine(data, "bwf.db")}").Options;
        await using (var old = new BackupDbContext(options))
        {
            await BackupSchema.EnsureAsync(old);
            old.Settings.Add(new SettingRecord { Name = SettingCatalog.JobsPollIntervalSeconds, Value = "5000000" });
            await old.SaveChangesAsync();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        await using var restarted = new ServerFactory { DataDirectory = data };
        var lifetime = restarted.Services.GetRequiredService<IHostApplicationLifetime>();
        await restarted.Log.WaitForAsync("Stored setting jobs.poll.interval.seconds is not allowed", 1,
            () => lifetime.ApplicationStopping.IsCancellationRequested, TimeSpan.FromSeconds(30));
        var list = (await (await restarted.Admin().GetAsync("/api/settings")).OkJsonAsync()).AsArray();
        Assert.Equal("5", list.Single(s => s!["name"]!.GetValue<string>() == "jobs.poll.interval.seconds")!["value"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await restarted.ClientWith(null).GetAsync("/api/health")).StatusCode);
        Assert.False(lifetime.ApplicationStopping.IsCancellationRequested);
    }

    private async Task<string> ValueAsync(string name) =>
        (await (await server.Admin().GetAsync("/api/settings")).OkJsonAsync()).AsArray()
        .Single(s => s!["name"]!.GetValue<string>() == name)!["value"]!.GetValue<string>();
}
