using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;

namespace Molt.Control;

/// <summary>Turns one request line into a <see cref="ControlRequest"/>, rejecting anything malformed with a reason.</summary>
internal sealed class RequestParser(int maxDepth)
{
    private readonly JsonDocumentOptions _documentOptions = new()
    {
        MaxDepth = maxDepth,
        // A duplicated "command" or "token" would make the request mean different things to different readers.
        AllowDuplicateProperties = false,
    };

    public ParsedRequest Parse(ReadOnlySpan<byte> line)
    {
        // Checked up front so that invalid bytes outside JSON strings get the same clear answer as inside them.
        if (!Utf8.IsValid(line))
        {
            return ParsedRequest.Failed(ControlErrorCodes.ParseError, "The request is not valid UTF-8.");
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(line, documentOptions: _documentOptions);
        }
        catch (JsonException ex)
        {
            return ParsedRequest.Failed(ControlErrorCodes.ParseError, $"The request is not valid JSON: {ex.Message}");
        }

        if (node is not JsonObject body)
        {
            return ParsedRequest.Failed(ControlErrorCodes.InvalidRequest, "The request must be a JSON object.");
        }

        var id = Detach(body, "id");
        var tokenNode = Detach(body, "token");
        var token = tokenNode is JsonValue tokenValue && tokenValue.TryGetValue<string>(out var text) ? text : null;
        var commandNode = Detach(body, "command");
        if (commandNode is not JsonValue commandValue || !commandValue.TryGetValue<string>(out var command))
        {
            return ParsedRequest.Invalid(ControlErrorCodes.InvalidRequest, "The request has no string member 'command'.", id, token);
        }

        if (!ControlCommands.IsKnown(command))
        {
            return ParsedRequest.Invalid(ControlErrorCodes.UnknownCommand, $"Unknown command '{command}'.", id, token);
        }

        return new ParsedRequest(new ControlRequest(command, body, id), id, token, null, IsObject: true);
    }

    private static JsonNode? Detach(JsonObject body, string name)
    {
        if (!body.TryGetPropertyValue(name, out var value))
        {
            return null;
        }

        body.Remove(name);
        return value;
    }
}
