using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace BackupWorkflows.Server.Tests.Fixtures;

/// <summary>Every log message of a server in memory (warnings and above), for tests that wait for one.</summary>
public sealed class RecordedLog : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    /// <summary>The messages so far, as "Category: message".</summary>
    public IReadOnlyCollection<string> Lines => _lines;

    /// <summary>Waits until <paramref name="count"/> messages contain <paramref name="text"/>, or <paramref name="stop"/> holds.</summary>
    public async Task WaitForAsync(string text, int count, Func<bool> stop, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (_lines.Count(l => l.Contains(text, StringComparison.Ordinal)) < count && !stop())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"no {count}× '{text}' in the log within {limit}:\n{string.Join('\n', _lines)}");
            await Task.Delay(50);
        }
    }

    ILogger ILoggerProvider.CreateLogger(string categoryName) => new Logger(this, categoryName);

    void IDisposable.Dispose() { }

    private sealed class Logger(RecordedLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) log._lines.Enqueue($"{category}: {formatter(state, exception)}{(exception is null ? "" : " | " + exception.GetType().Name)}");
        }
    }
}
