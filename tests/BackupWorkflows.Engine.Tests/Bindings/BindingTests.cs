using System.Text.Json.Nodes;
using BackupWorkflows.Engine.Bindings;

namespace BackupWorkflows.Engine.Tests.Bindings;

/// <summary>Pure logic: the binding syntax.</summary>
[Trait("Category", "Unit")]
public sealed class BindingTests
{
    private static readonly BindingScope Scope = new(
        new JsonObject { ["vmId"] = "vm-42", ["disks"] = new JsonArray("vda", "vdb") },
        new JsonObject { ["count"] = 3 },
        new JsonObject { ["snapshot"] = new JsonObject { ["deltas"] = new JsonArray(new JsonObject { ["path"] = "/d/1.qcow2" }) } },
        new JsonObject { ["id"] = "i-1" });

    [Fact]
    public void Evaluate_WholeStringBinding_KeepsJsonType()
    {
        var deltas = BindingTemplate.Evaluate(JsonValue.Create("{{ steps.snapshot.deltas }}"), Scope);
        Assert.IsType<JsonArray>(deltas);
        Assert.Equal(3, BindingTemplate.Evaluate(JsonValue.Create(" {{variables.count}} "), Scope)!.GetValue<int>());
        Assert.Equal("/d/1.qcow2", BindingTemplate.Evaluate(JsonValue.Create("{{ steps.snapshot.deltas[0].path }}"), Scope)!.GetValue<string>());
    }

    [Fact]
    public void Evaluate_TextWithBindings_Interpolates_AndMissingIsEmpty()
    {
        Assert.Equal("vm:vm-42 disk vdb of i-1 ()",
            BindingTemplate.Evaluate(JsonValue.Create("vm:{{ input.vmId }} disk {{ input.disks[1] }} of {{ instance.id }} ({{ input.nothing }})"), Scope)!.GetValue<string>());
    }

    [Fact]
    public void Evaluate_NestedObjectsAndArrays_AreEvaluatedInside()
    {
        var value = BindingTemplate.Evaluate(JsonNode.Parse("""{ "vm": "{{ input.vmId }}", "list": ["{{ variables.count }}", 7] }"""), Scope)!;
        Assert.Equal("""{"vm":"vm-42","list":[3,7]}""", value.ToJsonString());
    }

    [Theory]
    [InlineData("{{ env.PATH }}", "unknown root 'env'")]
    [InlineData("{{ input.a() }}", "unexpected '('")]
    [InlineData("{{ input.disks[x] }}", "non-negative index")]
    [InlineData("{{ input.vmId", "without closing")]
    [InlineData("{{ steps }}", "needs an activity id")]
    public void FindBindings_BadSyntax_ExplainsWhy(string text, string expected)
    {
        var errors = new List<string>();
        BindingTemplate.FindBindings(JsonValue.Create(text), errors);
        Assert.Contains(errors, e => e.Contains(expected));
    }
}
