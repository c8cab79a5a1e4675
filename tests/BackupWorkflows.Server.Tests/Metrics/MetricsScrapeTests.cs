using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using BackupWorkflows.Testing.Guests;
using BackupWorkflows.Testing.Servers;

namespace BackupWorkflows.Server.Tests.Metrics;

/// <summary>A real backup of a libvirt test guest through a real server process, then a Prometheus scrape of /metrics.</summary>
public sealed partial class MetricsScrapeTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("bwf-metrics-").FullName;

    [Fact]
    public async Task AfterABackup_MetricsCountIt_WithItsBytesAndDuration()
    {
        await using var guest = await TestGuest.CreateAsync("metrics");
        // libvirt's qemu user reaches into the data directory (staging, repository): not 0700.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(_data, (UnixFileMode)0b111_101_101);
        await using var server = await ServerProcess.StartAsync(new ServerProcessOptions { DataDirectory = _data, WaitForAdminKey = true });
        var viewerKey = (await server.PostAsync("/api/keys", new { name = "prometheus", role = "viewer" }))!["key"]!.GetValue<string>();
        using var anonymous = server.Client(null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/metrics")).StatusCode);

        await server.PostAsync("/api/offerings", new { name = "metrics-offering" });
        await server.PostAsync($"/api/vms/{guest.Name}/assign", new { offering = "metrics-offering", repository = "default" });
        var started = await server.PostAsync("/api/backups", new { vm = guest.Name });
        var end = await server.WaitForEndAsync(started!["instanceId"]!.GetValue<string>(), TimeSpan.FromMinutes(3));
        Assert.True(end["status"]!.GetValue<string>() == "Finished", $"backup: {end.ToJsonString()}");
        var backup = (await server.GetAsync($"/api/backups?vm={guest.Name}")).AsArray().Single()!;
        Assert.Equal("full", backup["type"]!.GetValue<string>());
        var storedSize = backup["storedSize"]!.GetValue<long>();
        var seconds = (backup["completedAt"]!.GetValue<DateTimeOffset>() - backup["createdAt"]!.GetValue<DateTimeOffset>()).TotalSeconds;
        Assert.True(storedSize > 0 && seconds > 0, backup.ToJsonString());

        // As Prometheus scrapes: the viewer key as a bearer token.
        using var scrape = new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { { "Authorization", $"Bearer {viewerKey}" } } };
        using var response = await anonymous.SendAsync(scrape);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);

        const string fullBackedUp = "state=\"BackedUp\",type=\"full\"";
        Assert.Equal(1, Sample(text, "bwf_backups_ended_total", fullBackedUp));
        Assert.Equal(1, Sample(text, "bwf_backups", fullBackedUp));
        Assert.Equal(storedSize, Sample(text, "bwf_backup_size_bytes_total", "type=\"full\""));
        Assert.Equal(1, Sample(text, "bwf_backup_duration_seconds_count", fullBackedUp));
        // The backup's own times, as the API shows them (stored to the millisecond).
        Assert.InRange(Sample(text, "bwf_backup_duration_seconds_sum", fullBackedUp), seconds - 0.01, seconds + 0.01);
        // The workflow ran its activities through the engine, and those ran commands on the host.
        Assert.Equal(1, Sample(text, "bwf_workflow_instances", "status=\"Finished\""));
        Assert.True(Sample(text, "bwf_activity_duration_seconds_count", "activity_type=\"Backup.CompleteBackup\",outcome=\"done\"") >= 1, text);
        Assert.True(Sample(text, "bwf_host_command_duration_seconds_count", "command=\"virsh\",host=\"local\",outcome=\"ok\"") >= 1, text);
        Assert.Equal(0, Sample(text, "bwf_jobs_queued", "state=\"Queued\",type=\"compression\""));
    }

    /// <summary>The value of the one sample of <paramref name="metric"/> whose labels end with <paramref name="labels"/>
    /// (the exporter puts otel_scope_name first, then the labels in name order).</summary>
    private static double Sample(string exposition, string metric, string labels)
    {
        var matches = SampleLine().Matches(exposition).Where(m => m.Groups["name"].Value == metric && m.Groups["labels"].Value.EndsWith(labels, StringComparison.Ordinal)).ToList();
        Assert.True(matches.Count == 1, $"{matches.Count} samples of {metric}{{…{labels}}} in:\n{exposition}");
        return double.Parse(matches[0].Groups["value"].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex("""^(?<name>[a-z_]+)\{(?<labels>[^}]*)\} (?<value>\S+)""", RegexOptions.Multiline)]
    private static partial Regex SampleLine();

    public void Dispose()
    {
        try { Directory.Delete(_data, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
