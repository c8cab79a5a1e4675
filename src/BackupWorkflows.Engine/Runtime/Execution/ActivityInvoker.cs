using System.Text.Json;
using System.Text.Json.Nodes;
using BackupWorkflows.Engine.Activities;
using BackupWorkflows.Engine.Definitions;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace BackupWorkflows.Engine.Runtime.Execution;

/// <summary>
/// Runs one work item: builds the Polly pipeline from the effective policy (retry with
/// exponential backoff and jitter, per-attempt timeout), creates a fresh activity per attempt,
/// assigns inputs and reads outputs.
/// </summary>
internal static class ActivityInvoker
{
    public static ResiliencePipeline BuildPipeline(RetryPolicy retry, TimeSpan? timeout, TimeProvider time, CancellationToken instanceToken)
    {
        if (retry.MaxAttempts <= 1 && timeout is null) return ResiliencePipeline.Empty;
        var builder = new ResiliencePipelineBuilder { TimeProvider = time };
        if (retry.MaxAttempts > 1)
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = retry.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = retry.Jitter,
                Delay = TimeSpan.FromSeconds(Math.Clamp(retry.BaseDelaySeconds, 0, 86_400)),
                MaxDelay = TimeSpan.FromSeconds(Math.Clamp(retry.MaxDelaySeconds, 0, 86_400)),
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is { } e && IsRetryable(e, retry, instanceToken)),
            });
        // Timeout inside retry: each attempt gets its own time budget.
        if (timeout is { } t) builder.AddTimeout(new TimeoutStrategyOptions { Timeout = Clamp(t) });
        return builder.Build();
    }

    private static TimeSpan Clamp(TimeSpan t) =>
        t < TimeSpan.FromMilliseconds(10) ? TimeSpan.FromMilliseconds(10) : t > TimeSpan.FromDays(1) ? TimeSpan.FromDays(1) : t;

    public static bool IsRetryable(Exception e, RetryPolicy retry, CancellationToken instanceToken)
    {
        if (e is NonRetryableActivityException) return false;
        if (e is OperationCanceledException && instanceToken.IsCancellationRequested) return false;
        for (var type = e.GetType(); type is not null && type != typeof(object); type = type.BaseType)
            if (retry.NonRetryable.Any(n => n == type.FullName || n == type.Name)) return false;
        return true;
    }

    /// <summary>Evaluated input values converted to the properties' types and assigned.</summary>
    public static void AssignInputs(Activity activity, PlannedActivity planned, JsonObject inputs)
    {
        foreach (var (input, property) in planned.Inputs)
        {
            var value = inputs[input.Name] ?? input.Default; // an explicit null (or a binding to nothing) takes the default too
            if (value is null)
            {
                if (input.Required) throw new NonRetryableActivityException($"Required input '{input.Name}' evaluated to nothing.");
                continue;
            }
            try { property.SetValue(activity, value.Deserialize(input.ClrType, DefinitionJson.Options)); }
            catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException or FormatException)
            {
                throw new NonRetryableActivityException(
                    $"Input '{input.Name}' value {Truncate(value.ToJsonString())} is not a valid {input.Type}.", e);
            }
        }
    }

    public static JsonObject ReadOutputs(Activity activity, PlannedActivity planned)
    {
        var outputs = new JsonObject();
        foreach (var (name, property) in planned.Outputs)
            outputs[name] = JsonSerializer.SerializeToNode(property.GetValue(activity), property.PropertyType, DefinitionJson.Options);
        return outputs;
    }

    /// <summary>
    /// The inputs as journaled: sensitive values replaced by <c>***</c>; a sensitive object (secret headers) keeps its
    /// member names, each value masked, so the journal still shows which were sent.
    /// </summary>
    public static JsonObject Mask(JsonObject inputs, PlannedActivity planned)
    {
        var masked = new JsonObject();
        foreach (var (name, value) in inputs)
        {
            var sensitive = planned.Inputs.Any(i => i.Input.Sensitive && i.Input.Name == name);
            masked[name] = !sensitive || value is null ? value?.DeepClone()
                : value is JsonObject members ? new JsonObject(members.Select(m => KeyValuePair.Create(m.Key, (JsonNode?)"***")))
                : "***";
        }
        return masked;
    }

    private static string Truncate(string s) => s.Length <= 200 ? s : s[..200] + "…";
}
