using System.Text.Json;
using System.Text.Json.Nodes;

namespace Molt.State;

/// <summary>Snapshots: the whole store to a file and back, so a full restart keeps the state.</summary>
internal sealed partial class StateStore
{
    /// <summary>
    /// Writes every slot's live value to <paramref name="path"/> atomically: to a temporary file in the same
    /// directory, flushed to disk, then renamed over the old snapshot, so a crash leaves the old or the new
    /// file, never half of one. Slots are each read atomically, not all at one instant.
    /// </summary>
    /// <exception cref="IOException">The file could not be written.</exception>
    public SnapshotWriteResult WriteSnapshot(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        var temporary = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        var skipped = new List<string>();
        int written;
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false }))
                {
                    written = WriteSlots(json, skipped);
                }

                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }

        return new SnapshotWriteResult(written, skipped);
    }

    /// <summary>Writes the snapshot document: its header and every slot that has a value; slots that cannot be written are listed in <paramref name="skipped"/>.</summary>
    private int WriteSlots(Utf8JsonWriter json, List<string> skipped)
    {
        var writer = new SnapshotWriter(json);
        var context = new MigrationContext(TypeMapper.ForNeutral(static _ => null), CustomMigrationSet.Empty);
        var written = 0;
        json.WriteStartObject();
        json.WriteString(SnapshotFormat.Format, SnapshotFormat.FormatName);
        json.WriteNumber(SnapshotFormat.VersionProperty, SnapshotFormat.Version);
        json.WriteStartArray(SnapshotFormat.Slots);
        foreach (var slot in _slots.Values.OrderBy(s => s.Scope, StringComparer.Ordinal).ThenBy(s => s.Name, StringComparer.Ordinal))
        {
            var live = slot.Live;
            object? neutral;
            try
            {
                neutral = live.Kind switch
                {
                    SlotCellKind.Value => new NeutralWriter(context, NeutralMode.Snapshot, slot.Name).Write(live.Value),
                    SlotCellKind.Neutral => live.Value,
                    _ => null,
                };
            }
            catch (StateMigrationException e)
            {
                skipped.Add($"{slot.DisplayName}: {e.Message}");
                continue;
            }

            if (live.Kind == SlotCellKind.Empty)
            {
                continue;
            }

            json.WriteStartObject();
            json.WriteString(SnapshotFormat.Scope, slot.Scope);
            json.WriteString(SnapshotFormat.Name, slot.Name);
            json.WritePropertyName(SnapshotFormat.Value);
            writer.Write(neutral);
            json.WriteEndObject();
            written++;
        }

        json.WriteEndArray();
        json.WriteEndObject();
        return written;
    }

    /// <summary>
    /// Restores the slots of the snapshot at <paramref name="path"/> into this empty store, in neutral form:
    /// each becomes a real value when its module declares it (<see cref="GetOrCreate{T}"/> or a reload
    /// transaction's). An unreadable snapshot restores nothing and is reported, never thrown, so the
    /// process starts with initial values.
    /// </summary>
    /// <exception cref="InvalidOperationException">The store already has slots.</exception>
    public SnapshotRestoreResult RestoreSnapshot(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!_slots.IsEmpty)
        {
            throw new InvalidOperationException("A snapshot can only be restored into an empty state store.");
        }

        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            return new SnapshotRestoreResult(FileFound: false, 0, null);
        }

        List<(string Scope, string Name, object? Value)> slots;
        try
        {
            var bytes = File.ReadAllBytes(full);
            slots = SnapshotReader.ReadSlots(JsonNode.Parse(bytes));
        }
        catch (JsonException e)
        {
            var location = $"line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}";
            return new SnapshotRestoreResult(true, 0, new StateSnapshotException(full, location, "the file is not valid JSON (corrupt or truncated)", e));
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException)
        {
            var separator = e.Message.IndexOf(": ", StringComparison.Ordinal);
            var (location, reason) = separator > 0 ? (e.Message[..separator], e.Message[(separator + 2)..]) : ("$", e.Message);
            return new SnapshotRestoreResult(true, 0, new StateSnapshotException(full, location, reason, e));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new SnapshotRestoreResult(true, 0, new StateSnapshotException(full, "the file", e.Message, e));
        }

        foreach (var (scope, name, value) in slots)
        {
            Slot(scope, name).SetLive(new SlotCell(SlotCellKind.Neutral, value, 0, 0));
        }

        return new SnapshotRestoreResult(true, slots.Count, null);
    }
}
