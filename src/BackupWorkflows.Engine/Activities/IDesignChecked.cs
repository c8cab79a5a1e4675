using System.Text.Json.Nodes;

namespace BackupWorkflows.Engine.Activities;

/// <summary>
/// An activity whose inputs have rules beyond their types (one of two inputs needed, a range): checked when a
/// definition is saved, so a designer learns it then and not when the activity runs. The activity's run-time
/// check stays, since a binding's value is known only then.
/// </summary>
public interface IDesignChecked
{
    /// <summary>
    /// Problems, by input name, of the inputs as the definition gives them: literals (already of the input's type)
    /// and bindings (any value; not checked here). An input the definition does not give is absent.
    /// </summary>
    IEnumerable<(string Input, string Problem)> CheckDesign(IReadOnlyDictionary<string, JsonNode?> inputs);
}
