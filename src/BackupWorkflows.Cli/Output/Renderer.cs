using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace BackupWorkflows.Cli.Output;

/// <summary>A table column: header and how to read the cell from a row.</summary>
public sealed record Column(string Header, Func<JsonNode?, string?> Read)
{
    /// <summary>A column reading a (camelCase) property.</summary>
    public static Column Of(string header, string property) => new(header, row => Text(row?[property]));

    /// <summary>A JSON value as cell text.</summary>
    public static string? Text(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => node.ToJsonString(),
    };
}

/// <summary>Writes results as a table (people) or as JSON (scripts: <c>--output json</c>).</summary>
public sealed class Renderer(IAnsiConsole console, bool json)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>True when writing JSON.</summary>
    public bool Json { get; } = json;

    /// <summary>The console.</summary>
    public IAnsiConsole Console { get; } = console;

    /// <summary>Rows as a table, or the JSON as it came.</summary>
    public void Table(JsonNode? rows, params Column[] columns)
    {
        if (Json) { Raw(rows); return; }
        var table = new Table().Border(TableBorder.Simple);
        foreach (var c in columns) table.AddColumn(new TableColumn(Markup.Escape(c.Header)).NoWrap());
        foreach (var row in rows as JsonArray ?? [])
            table.AddRow(columns.Select(c => (Spectre.Console.Rendering.IRenderable)new Text(c.Read(row) ?? "-")).ToArray());
        Console.Write(table);
    }

    /// <summary>One object as name/value lines, or its JSON.</summary>
    public void Object(JsonNode? node)
    {
        if (Json) { Raw(node); return; }
        var grid = new Grid().AddColumn().AddColumn();
        foreach (var (name, value) in node as JsonObject ?? [])
            grid.AddRow(new Text(name, new Style(decoration: Decoration.Bold)), new Text(Column.Text(value) ?? "-"));
        Console.Write(grid);
    }

    /// <summary>A sentence for people; in JSON mode the JSON result instead (when given).</summary>
    public void Done(string message, JsonNode? result = null)
    {
        if (Json) Raw(result ?? new JsonObject { ["ok"] = true, ["message"] = message });
        else Console.WriteLine(message);
    }

    /// <summary>JSON, indented, unwrapped (written past Spectre so long lines are never folded).</summary>
    public void Raw(JsonNode? node)
    {
        Console.Profile.Out.Writer.WriteLine(node?.ToJsonString(Indented) ?? "null");
        Console.Profile.Out.Writer.Flush();
    }
}
