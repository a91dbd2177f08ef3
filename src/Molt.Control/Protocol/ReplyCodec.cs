using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Molt.Control;

/// <summary>Writes replies as single JSON lines, and reads them back for the client.</summary>
internal static class ReplyCodec
{
    /// <summary>Serialises <paramref name="reply"/> with <paramref name="id"/> and a trailing newline.</summary>
    /// <exception cref="InvalidOperationException">The handler's result cannot be written (for example, nested too deeply).</exception>
    public static byte[] Encode(ControlReply reply, JsonNode? id)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("id");
            WriteNode(writer, id);
            writer.WriteBoolean("ok", reply.Ok);
            if (reply.Ok)
            {
                writer.WritePropertyName("result");
                if (reply.Result is null)
                {
                    writer.WriteStartObject();
                    writer.WriteEndObject();
                }
                else
                {
                    reply.Result.WriteTo(writer);
                }
            }
            else
            {
                var error = reply.Error ?? new ControlError(ControlErrorCodes.InternalError, "The reply had no error.");
                writer.WriteStartObject("error");
                writer.WriteString("code", error.Code);
                writer.WriteString("message", error.Message);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        buffer.Write("\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads one reply line.</summary>
    /// <exception cref="FormatException">The line is not a reply.</exception>
    public static ControlReply Decode(ReadOnlySpan<byte> line)
    {
        JsonObject body;
        try
        {
            body = JsonNode.Parse(line) as JsonObject ?? throw new FormatException("The reply is not a JSON object.");
        }
        catch (JsonException ex)
        {
            throw new FormatException($"The reply is not valid JSON: {ex.Message}", ex);
        }

        body.TryGetPropertyValue("id", out var id);
        body.Remove("id");
        if (!body.TryGetPropertyValue("ok", out var okNode) || okNode is not JsonValue okValue || !okValue.TryGetValue<bool>(out var ok))
        {
            throw new FormatException("The reply has no boolean member 'ok'.");
        }

        if (ok)
        {
            body.TryGetPropertyValue("result", out var result);
            body.Remove("result");
            return ControlReply.Success(result).WithId(id);
        }

        var error = body["error"] as JsonObject;
        var code = error?["code"] is JsonValue c && c.TryGetValue<string>(out var codeText) ? codeText : ControlErrorCodes.InternalError;
        var message = error?["message"] is JsonValue m && m.TryGetValue<string>(out var messageText) ? messageText : "The reply gave no message.";
        return ControlReply.Failure(code, message).WithId(id);
    }

    private static void WriteNode(Utf8JsonWriter writer, JsonNode? node)
    {
        if (node is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            node.WriteTo(writer);
        }
    }
}
