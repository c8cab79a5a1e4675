namespace BackupWorkflows.Engine.Activities;

/// <summary>
/// Marks a class as an activity and gives it a stable type name and version. Persisted
/// definitions name activities by this string and version, never by CLR name, so classes can
/// be renamed or moved without breaking stored workflows.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ActivityAttribute(string type) : Attribute
{
    /// <summary>Stable type name, e.g. <c>Backup.TakeDiskSnapshot</c>.</summary>
    public string Type { get; } = type;

    /// <summary>Version of the activity's contract (inputs, outputs, outcomes). Default 1.</summary>
    public int Version { get; set; } = 1;

    /// <summary>Group shown in the studio's toolbox.</summary>
    public string? Category { get; set; }

    /// <summary>Human name; defaults to the last segment of <see cref="Type"/>.</summary>
    public string? DisplayName { get; set; }

    /// <summary>One-sentence description for the studio.</summary>
    public string? Description { get; set; }
}

/// <summary>Marks a settable public property as an input of the activity.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class InputAttribute : Attribute
{
    /// <summary>What the input means.</summary>
    public string? Description { get; set; }

    /// <summary>Editor hint for the studio (e.g. <c>singleline</c>, <c>multiline</c>, <c>json</c>, <c>dropdown</c>).</summary>
    public string? UIHint { get; set; }

    /// <summary>Saving a definition fails when a required input has no value and no default.</summary>
    public bool Required { get; set; }

    /// <summary>Sensitive inputs are masked (<c>***</c>) in the journal.</summary>
    public bool Sensitive { get; set; }

    /// <summary>Default value (a constant) used when the definition gives none.</summary>
    public object? Default { get; set; }
}

/// <summary>Marks a public property whose value is read after execution and stored as an output.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class OutputAttribute : Attribute
{
    /// <summary>What the output holds.</summary>
    public string? Description { get; set; }
}

/// <summary>The named outcomes (ports) of an activity; without it an activity has just <c>Done</c>.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class OutcomesAttribute(params string[] names) : Attribute
{
    /// <summary>Outcome names, e.g. <c>Done</c>, <c>Failed</c>, <c>Full</c>.</summary>
    public IReadOnlyList<string> Names { get; } = names;

    /// <summary>
    /// True when the outcomes depend on the definition (Switch cases, Fork branches): saving then
    /// accepts any outcome name on this activity's connections.
    /// </summary>
    public bool Dynamic { get; set; }
}

/// <summary>
/// Default retry policy of the activity (exponential backoff). A definition may override each
/// field per activity. Without it an activity runs once (the engine's default policy).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class RetryAttribute : Attribute
{
    /// <summary>Total attempts including the first. 1 means no retry.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Delay before the first retry; doubles with each retry.</summary>
    public double BaseDelaySeconds { get; set; } = 1;

    /// <summary>Upper bound of any single delay.</summary>
    public double MaxDelaySeconds { get; set; } = 60;

    /// <summary>Randomises delays so retries of many instances do not align.</summary>
    public bool Jitter { get; set; } = true;

    /// <summary>Exception types (and their subclasses) that are never retried.</summary>
    public Type[] NonRetryable { get; set; } = [];
}

/// <summary>Timeout of one attempt of the activity; the attempt's CancellationToken is cancelled when it expires.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class TimeoutAttribute(double seconds) : Attribute
{
    /// <summary>Seconds one attempt may take.</summary>
    public double Seconds { get; } = seconds;
}
