using System.Text.Json;

namespace Molt.State;

/// <summary>Writes neutral values as snapshot JSON (see <see cref="SnapshotFormat"/>).</summary>
internal sealed class SnapshotWriter(Utf8JsonWriter json)
{
    private readonly Dictionary<StateNode, int> _ids = new(ReferenceEqualityComparer.Instance);

    public void Write(object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNullValue();
                break;
            case bool b:
                json.WriteBooleanValue(b);
                break;
            case string s:
                json.WriteStringValue(s);
                break;
            case int i:
                json.WriteNumberValue(i);
                break;
            case StateEnum e:
                json.WriteStartObject();
                json.WriteString(SnapshotFormat.Enum, e.TypeName);
                json.WriteString(SnapshotFormat.PrimitiveValue, e.Name);
                json.WriteEndObject();
                break;
            case StateNode node when _ids.TryGetValue(node, out var id):
                json.WriteStartObject();
                json.WriteNumber(SnapshotFormat.Ref, id);
                json.WriteEndObject();
                break;
            case StateNode node:
                WriteNode(node);
                break;
            default:
                json.WriteStartObject();
                json.WriteString(SnapshotFormat.Primitive, NeutralPrimitives.NameOf(value.GetType()));
                json.WriteString(SnapshotFormat.PrimitiveValue, SnapshotPrimitives.Format(value));
                json.WriteEndObject();
                break;
        }
    }

    private void WriteNode(StateNode node)
    {
        var id = _ids.Count + 1;
        _ids[node] = id;
        json.WriteStartObject();
        json.WriteNumber(SnapshotFormat.Id, id);
        json.WriteString(SnapshotFormat.Type, node.TypeName);
        switch (node)
        {
            case StateObject o:
                json.WriteStartObject(SnapshotFormat.Members);
                foreach (var (name, member) in o.Members)
                {
                    json.WritePropertyName(name);
                    Write(member);
                }

                json.WriteEndObject();
                break;
            case StateList l:
                if (l.Lengths is { } lengths)
                {
                    json.WriteStartArray(SnapshotFormat.Lengths);
                    foreach (var length in lengths)
                    {
                        json.WriteNumberValue(length);
                    }

                    json.WriteEndArray();
                }

                json.WriteStartArray(SnapshotFormat.Items);
                foreach (var item in l.Items)
                {
                    Write(item);
                }

                json.WriteEndArray();
                break;
            case StateDictionary d:
                json.WriteStartArray(SnapshotFormat.Entries);
                foreach (var (key, value) in d.Entries)
                {
                    json.WriteStartArray();
                    Write(key);
                    Write(value);
                    json.WriteEndArray();
                }

                json.WriteEndArray();
                break;
            default:
                throw new InvalidOperationException($"Unknown neutral node {node.GetType().Name}.");
        }

        json.WriteEndObject();
    }
}
