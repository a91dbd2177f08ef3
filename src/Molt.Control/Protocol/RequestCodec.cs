using System.Buffers;
using System.Text.Json;

namespace Molt.Control;

/// <summary>Writes a request as a single JSON line, the client's half of the protocol.</summary>
internal static class RequestCodec
{
    public static byte[] Encode(ControlRequest request, string? token)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (request.Id is not null)
            {
                writer.WritePropertyName("id");
                request.Id.WriteTo(writer);
            }

            writer.WriteString("command", request.Command);
            if (token is not null)
            {
                writer.WriteString("token", token);
            }

            foreach (var (name, value) in request.Arguments)
            {
                writer.WritePropertyName(name);
                if (value is null)
                {
                    writer.WriteNullValue();
                }
                else
                {
                    value.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        }

        buffer.Write("\n"u8);
        return buffer.WrittenSpan.ToArray();
    }
}
