using System.Text.RegularExpressions;
using BackupWorkflows.Backup.Persistence;
using BackupWorkflows.Backup.Settings;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace BackupWorkflows.Backup.Tests.Settings;

/// <summary>The one settings catalog: documented defaults and ranges, checked on set and on read, on a real SQLite file.</summary>
public sealed partial class SettingCatalogTests : IAsyncLifetime
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"bwf-settings-{Guid.NewGuid():N}.db");
    private BackupDbContext _db = null!;
    private BackupSettings _settings = null!;

    public async Task InitializeAsync()
    {
        _db = new BackupDbContext(new DbContextOptionsBuilder<BackupDbContext>().UseSqlite($"Data Source={_file}").Options);
        await BackupSchema.EnsureAsync(_db);
        _settings = new BackupSettings(_db, TimeProvider.System);
    }

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        SqliteConnection.ClearAllPools();
        File.Delete(_file);
    }

    [Fact]
    public void Catalog_OneNamingStyle_DefaultsWithinTheirOwnRules_DurationsNamedByUnit()
    {
        Assert.Equal(SettingCatalog.All.Count, SettingCatalog.All.Select(d => d.Name).Distinct().Count());
        foreach (var d in SettingCatalog.All)
        {
            Assert.Matches(NameStyle(), d.Name);
            Assert.Equal((d.Default, (string?)null), d.Check(d.Default));
            Assert.False(string.IsNullOrWhiteSpace(d.Description), d.Name);
            if (d.Kind is SettingKind.Integer or SettingKind.Number or SettingKind.Duration) Assert.True(d.Minimum < d.Maximum, d.Name);
            if (d.Kind == SettingKind.Duration)
            {
                var unit = d.Name[(d.Name.LastIndexOf('.') + 1)..];
                Assert.Equal(unit switch { "seconds" => TimeSpan.FromSeconds(1), "minutes" => TimeSpan.FromMinutes(1),
                    "hours" => TimeSpan.FromHours(1), "days" => TimeSpan.FromDays(1), _ => TimeSpan.Zero }, d.Unit);
            }
        }
        Assert.All(SettingCatalog.FormerNames.Values, now => Assert.NotNull(SettingCatalog.Find(now)));
    }

    [Fact]
    public async Task Defaults_AreTheDocumentedOnes_AndReadTyped()
    {
        var all = (await _settings.ListAsync()).ToDictionary(s => s.Definition.Name, s => s.Value);
        Assert.Equal("true", all["compression.enabled"]);
        Assert.Equal("5", all["compression.max.concurrent.per.host"]);
        Assert.Equal("2", all["compression.max.retries"]);
        Assert.Equal("60", all["compression.retry.interval.minutes"]);
        Assert.Equal("28800", all["compression.timeout.seconds"]);
        Assert.Equal("1", all["compression.minimum.free.storage.factor"]);
        Assert.Equal("1", all["compression.coroutines"]);
        Assert.Equal("0", all["compression.rate.limit.mbps"]);
        Assert.Equal("24", all["validation.recheck.interval.hours"]);
        Assert.Equal("180", all["validation.boot.timeout.seconds"]);
        Assert.Equal("run-once", all["schedules.misfire.policy"]);
        Assert.Equal(TimeSpan.FromHours(8), await _settings.GetDurationAsync(SettingCatalog.CompressionTimeoutSeconds));
        Assert.Equal(TimeSpan.FromDays(30), await _settings.GetDurationAsync(SettingCatalog.InstancesRetentionDays));
        Assert.True(await _settings.GetBoolAsync(SettingCatalog.CompressionEnabled));
        Assert.Equal(5, await _settings.GetIntAsync(SettingCatalog.CompressionMaxConcurrentPerHost));
    }

    [Fact]
    public async Task Set_StoresTheCanonicalValue_AndReadsItBack()
    {
        Assert.Equal("-1", (await _settings.SetAsync(SettingCatalog.CompressionMaxConcurrentPerHost, "-1")).Value);
        Assert.Equal(-1, await _settings.GetIntAsync(SettingCatalog.CompressionMaxConcurrentPerHost));
        Assert.Equal("false", (await _settings.SetAsync(SettingCatalog.CompressionEnabled, "False")).Value);
        Assert.False(await _settings.GetBoolAsync(SettingCatalog.CompressionEnabled));
        Assert.Equal("16", (await _settings.SetAsync(SettingCatalog.CompressionCoroutines, "16")).Value);
        Assert.Equal("0.25", (await _settings.SetAsync(SettingCatalog.JobsPollIntervalSeconds, "0.250")).Value);
        Assert.Equal(TimeSpan.FromMilliseconds(250), await _settings.GetDurationAsync(SettingCatalog.JobsPollIntervalSeconds));
        Assert.Equal("skip", (await _settings.SetAsync(SettingCatalog.SchedulesMisfirePolicy, "skip")).Value);
    }

    [Theory]
    [InlineData("jobs.poll.interval.seconds", "5000000", "from 0.05 to 3600")]
    [InlineData("jobs.poll.interval.seconds", "1e300", "from 0.05 to 3600")]
    [InlineData("jobs.poll.interval.seconds", "0", "from 0.05 to 3600")]
    [InlineData("compression.coroutines", "17", "whole number from 1 to 16")]
    [InlineData("compression.coroutines", "0", "whole number from 1 to 16")]
    [InlineData("compression.coroutines", " 5 ", "without spaces or control characters")]
    [InlineData("compression.coroutines", "1\u0000", "without spaces or control characters")]
    [InlineData("compression.coroutines", "2.5", "whole number")]
    [InlineData("compression.coroutines", "", "whole number")]
    [InlineData("compression.coroutines", "99999999999999999999999999999999999", "whole number from 1 to 16")]
    [InlineData("compression.max.concurrent.per.host", "-2", "from -1 to 100")]
    [InlineData("compression.max.retries", "1.5", "whole number")]
    [InlineData("compression.enabled", "yes", "true or false")]
    [InlineData("compression.rate.limit.mbps", "NaN", "from 0 to 100000")]
    [InlineData("instances.retention.days", "Infinity", "from 0 to 36500")]
    [InlineData("schedules.misfire.policy", "sometimes", "'run-once', 'skip'")]
    [InlineData("schedules.default.keep", "10001", "from 0 to 10000")]
    public async Task Set_RefusesValuesOutsideTheRule_NamingTheSettingAndRange_AndStoresNothing(string name, string value, string expected)
    {
        var before = await _settings.GetAsync(name);
        var error = await Assert.ThrowsAsync<SettingException>(() => _settings.SetAsync(name, value));
        Assert.False(error.Unknown);
        Assert.Contains(name, error.Message);
        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain('\u0000', error.Message);
        Assert.Equal(before, await _settings.GetAsync(name));
        Assert.Empty(await _db.Settings.AsNoTracking().ToListAsync());
    }

    [Fact]
    public async Task Set_UnknownOrRenamedSetting_IsRefusedAsUnknown()
    {
        Assert.True((await Assert.ThrowsAsync<SettingException>(() => _settings.SetAsync("compression.nope", "1"))).Unknown);
        var renamed = await Assert.ThrowsAsync<SettingException>(() => _settings.SetAsync("schedules.misfirePolicy", "skip"));
        Assert.Contains("now called 'schedules.misfire.policy'", renamed.Message);
    }

    [Fact]
    public async Task StoredValueOutsideTheRule_ReadsAsTheDefault_NeverThrows()
    {
        // As an older version (no upper bounds) or a hand edit left it.
        _db.Settings.AddRange(
            new SettingRecord { Name = SettingCatalog.JobsPollIntervalSeconds, Value = "5000000" },
            new SettingRecord { Name = SettingCatalog.CompressionCoroutines, Value = "1e300" },
            new SettingRecord { Name = SettingCatalog.CompressionEnabled, Value = " true" });
        await _db.SaveChangesAsync();
        Assert.Equal(TimeSpan.FromSeconds(5), await _settings.GetDurationAsync(SettingCatalog.JobsPollIntervalSeconds));
        Assert.Equal(1, await _settings.GetIntAsync(SettingCatalog.CompressionCoroutines));
        Assert.True(await _settings.GetBoolAsync(SettingCatalog.CompressionEnabled));
        var listed = (await _settings.ListAsync()).ToDictionary(s => s.Definition.Name, s => s.Value);
        Assert.Equal("5", listed[SettingCatalog.JobsPollIntervalSeconds]);
    }

    [GeneratedRegex(@"^[a-z]+(\.[a-z]+)+$")]
    private static partial Regex NameStyle();
}
