using Personalization.Contracts;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Personalization.Triggers.Definitions;

/// <summary>A saved body is the definition and, beside it, the author's note for this version, which is kept with the version and not in it.</summary>
public static class DefinitionRequest
{
    public const int MaxNoteLength = 2000;

    public static (JsonElement Definition, string? Note) Split(JsonElement body, Faults faults)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            faults.Add("$", "Takes a JSON object.");
            return (body, null);
        }
        var note = faults.OptionalText("$", body, "note");
        if (note is { Length: > MaxNoteLength }) faults.Add("$.note", $"At most {MaxNoteLength} characters.");
        var definition = JsonNode.Parse(body.GetRawText())!.AsObject();
        definition.Remove("note");
        return (JsonSerializer.SerializeToElement(definition), note);
    }
}
