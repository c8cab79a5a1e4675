using System.Diagnostics.Metrics;
using BackupWorkflows.Kvm.Hosts;

namespace BackupWorkflows.Kvm.Tests.Hosts;

/// <summary>Real local commands through a factory-made shell, observed with a MeterListener.</summary>
public sealed class HostCommandMetricsTests
{
    [Fact]
    public async Task Commands_AreTimedByOutcome_AndFailuresCounted()
    {
        var durations = new List<(double Seconds, Dictionary<string, object?> Tags)>();
        var failures = new List<Dictionary<string, object?>>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) => { if (instrument.Meter.Name == HostCommandMetrics.MeterName) l.EnableMeasurementEvents(instrument); },
        };
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            lock (durations) durations.Add((value, Tags(tags)));
        });
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            lock (failures) failures.Add(Tags(tags));
        });
        listener.Start();

        await using var shell = HostShellFactory.Create("local");
        await shell.RunAsync(["sleep", "0.05"]);
        await Assert.ThrowsAsync<HostCommandException>(() => shell.RunAsync(["false"]));

        lock (durations)
        {
            // Other tests may run commands at the same time: look for these two.
            Assert.Contains(durations, d => (string?)d.Tags["command"] == "sleep" && (string?)d.Tags["host"] == "local"
                && (string?)d.Tags["outcome"] == "ok" && d.Seconds is >= 0.05 and < 60);
            Assert.Contains(durations, d => (string?)d.Tags["command"] == "false" && (string?)d.Tags["outcome"] == "non_zero_exit");
        }
        lock (failures) Assert.Contains(failures, f => (string?)f["command"] == "false" && (string?)f["failure"] == "non_zero_exit");
    }

    private static Dictionary<string, object?> Tags(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var all = new Dictionary<string, object?>();
        foreach (var (key, value) in tags) all[key] = value;
        return all;
    }
}
