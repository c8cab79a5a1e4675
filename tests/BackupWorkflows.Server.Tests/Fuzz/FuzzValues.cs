using System.Text.Json.Nodes;

namespace BackupWorkflows.Server.Tests.Fuzz;

/// <summary>
/// The hostile values the API fuzz sends. Each carries a marker unique to the request (<c>fzRUNxN</c>),
/// so the test can grep a host's command record for it and tell which request it came from.
/// </summary>
internal sealed class FuzzValues(string run)
{
    private int _next;

    /// <summary>The marker of this test run; every value holds it followed by <c>x</c> and the request number.</summary>
    public string Run { get; } = run;

    /// <summary>A new request number and its marker.</summary>
    public (int Number, string Marker) Next()
    {
        var n = Interlocked.Increment(ref _next);
        return (n, $"{Run}x{n}");
    }

    /// <summary>Stands for <c>\ud800</c> in values: JSON text may escape a lone surrogate, but a .NET JSON writer
    /// refuses to write one, so <see cref="ToJson"/> puts the escape in after writing.</summary>
    public const string LoneSurrogate = "__lone_surrogate__";

    /// <summary>JSON text of <paramref name="node"/> with <see cref="LoneSurrogate"/> as the escape it stands for.</summary>
    public static string ToJson(JsonNode? node) => (node?.ToJsonString() ?? "null").Replace(LoneSurrogate, "\\ud800", StringComparison.Ordinal);

    /// <summary>Strings for names, paths and free text, built around <paramref name="m"/>.</summary>
    public static IEnumerable<string> Strings(string m) =>
    [
        m,
        "",
        " ",
        $" {m} ",
        $"{m}\n",
        $"{m}\u0000",
        $";touch /tmp/{m}",
        $"$(touch /tmp/{m})",
        $"`touch /tmp/{m}`",
        $"{m}' ; touch /tmp/{m}; '",
        $"{m}\" && touch /tmp/{m} \"",
        $"{m}|id",
        $"-o{m}",
        $"--{m}=x",
        $"../../{m}",
        $"../../../../etc/{m}",
        $"/etc/{m}",
        $"/{m}/../../etc/passwd",
        $"/proc/self/{m}",
        $"/dev/{m}",
        $"/tmp/{m}/./x",
        $"/tmp//{m}",
        $"ssh://{m}@127.0.0.1:1",
        $"ssh://{m};touch@127.0.0.1",
        $"ssh://{m}@127.0.0.1:22 ",
        $"ssh://{m}@127.0.0.1:",
        $"ssh://root@127.0.0.1:22\n{m}",
        $"ProxyCommand=touch /tmp/{m}",
        $"{m}*",
        $"~{m}",
        $"{m}%3Btouch%20x",
        $"{m}{new string('a', 5000)}",
        $"{m}{LoneSurrogate}",
        $"{m}\u202e",
        $"{m}💾",
    ];

    /// <summary>Values of the wrong JSON type, or numbers at the edges, for a field of any type.</summary>
    public static IEnumerable<JsonNode?> Scalars(string m) =>
    [
        null,
        JsonValue.Create(true),
        JsonValue.Create(-1),
        JsonValue.Create(0),
        JsonValue.Create(int.MaxValue),
        JsonValue.Create(long.MinValue),
        JsonNode.Parse("1e300"),
        JsonNode.Parse("123456789012345678901234567890"),
        JsonValue.Create(0.5),
        new JsonArray(JsonValue.Create(m)),
        new JsonObject { [m] = m },
    ];
}
