namespace Molt.Compilation.Delta;

/// <summary>
/// Applies a portable-PDB delta to a merged PDB. Unlike the type-system delta, a PDB delta is
/// self-contained: its heaps start at 0 and it carries its own Document and ImportScope rows;
/// only its MethodDebugInformation rows are named by real MethodDef ids (EncMap). The updated
/// methods' sequence points replace the old ones, and their scopes, locals, constants and custom
/// debug information replace the old ones in the sorted order a full compile writes.
/// </summary>
internal static class PdbMerge
{
    private const int Document = 0x30;
    private const int MethodDebugInformation = 0x31;
    private const int LocalScope = 0x32;
    private const int LocalVariable = 0x33;
    private const int LocalConstant = 0x34;
    private const int ImportScope = 0x35;
    private const int StateMachineMethod = 0x36;
    private const int CustomDebugInformation = 0x37;
    private const int MethodDef = 0x06;

    /// <summary>Applies <paramref name="delta"/> to <paramref name="merged"/> (a copy the caller owns) and moves the lines of the methods below the edits.</summary>
    public static void Apply(MetadataImage merged, MetadataImage delta, IReadOnlyDictionary<string, LineMap> lines)
    {
        if (delta.RowCount(StateMachineMethod) > 0)
        {
            throw new MergeRefusedException("the edit changes an async method or iterator");
        }

        var rebase = new Rebase(merged.Strings.Length, merged.Blobs.Length, merged.Guids.Length / 16);
        merged.Strings = Heaps.Concat(merged.Strings, delta.Strings);
        merged.Blobs = Heaps.Concat(merged.Blobs, delta.Blobs);
        merged.Guids = Heaps.Concat(merged.Guids, delta.Guids);

        var documents = MapDocuments(merged, delta, rebase);
        var imports = new int[delta.RowCount(ImportScope) + 1];
        var importRows = delta.Rows(ImportScope);
        for (var i = 0; i < importRows.Count; i++)
        {
            var row = rebase.Row(ImportScope, importRows[i]);
            row[0] = row[0] == 0 ? 0 : (uint)imports[row[0]];
            imports[i + 1] = FindOrAdd(merged, ImportScope, row, (a, b) => a[0] == b[0] && merged.SameBlob(a[1], b[1]));
        }

        // The delta numbers methods by its MethodDebugInformation rows; EncMap gives their real ids.
        var updated = new HashSet<uint>();
        var methods = new uint[delta.RowCount(MethodDebugInformation) + 1];
        var methodRows = delta.Rows(MethodDebugInformation);
        var encMap = delta.Rows(0x1F).Where(e => e[0] >> 24 == MethodDebugInformation).ToList();
        if (encMap.Count != methodRows.Count)
        {
            throw new BadImageFormatException("the PDB delta's EncMap does not name each of its methods");
        }

        for (var i = 0; i < methodRows.Count; i++)
        {
            var id = (int)(encMap[i][0] & 0xFFFFFF);
            var row = rebase.Row(MethodDebugInformation, methodRows[i]);
            if (row[0] == 0 && row[1] != 0)
            {
                throw new MergeRefusedException("the edited method's sequence points span several documents");
            }

            row[0] = row[0] == 0 ? 0 : (uint)documents[row[0]];
            merged.Rows(MethodDebugInformation)[id - 1] = row;
            updated.Add((uint)id);
            methods[i + 1] = (uint)id;
        }

        MoveLines(merged, updated, lines);
        var deltaMethods = new DeltaMethods(updated, methods);
        var scopes = new ScopeRebuild(merged, delta, rebase, deltaMethods, imports);
        scopes.Run();
        RebuildCustomDebugInformation(merged, delta, new PdbMaps(rebase, deltaMethods, documents, imports, scopes));
    }

    private static void RebuildCustomDebugInformation(
        MetadataImage merged, MetadataImage delta, PdbMaps maps)
    {
        var (rebase, methods, documents, imports, scopes) = maps;
        var updated = methods.Ids;
        var coding = MetadataSchema.HasCustomDebugInformation;
        var rows = new List<uint[]>();
        foreach (var row in merged.Rows(CustomDebugInformation))
        {
            var (table, id) = MetadataSchema.Decode(coding, row[0]);
            int? parent = table switch
            {
                MethodDef when updated.Contains((uint)id) => null,
                LocalScope or LocalVariable or LocalConstant => scopes.OldToNew(table, id),
                _ => id,
            };
            if (parent is { } kept)
            {
                rows.Add(kept == id ? row : [MetadataSchema.Encode(coding, table, kept), row[1], row[2]]);
            }
        }

        foreach (var deltaRow in delta.Rows(CustomDebugInformation))
        {
            var row = rebase.Row(CustomDebugInformation, deltaRow);
            var (table, id) = MetadataSchema.Decode(coding, row[0]);
            var parent = table switch
            {
                MethodDef when id < methods.ByDeltaNumber.Length => (int)methods.ByDeltaNumber[id],
                LocalScope or LocalVariable or LocalConstant => scopes.DeltaToNew(table, id),
                Document => documents[id],
                ImportScope => imports[id],
                _ => throw new MergeRefusedException($"the edit adds debug information to metadata table 0x{table:X2}"),
            };
            row[0] = MetadataSchema.Encode(coding, table, parent);
            rows.Add(row);
        }

        // Sorted by parent (a stable sort keeps each parent's entries in the order they were written).
        merged.Tables[CustomDebugInformation] = [.. rows.OrderBy(r => r[0])];
    }

    /// <summary>Rewrites the sequence points of the methods the delta did not update whose lines moved.</summary>
    private static void MoveLines(MetadataImage merged, HashSet<uint> updated, IReadOnlyDictionary<string, LineMap> lines)
    {
        var byDocument = new Dictionary<int, LineMap>();
        var documents = merged.Rows(Document);
        for (var i = 0; i < documents.Count; i++)
        {
            if (lines.TryGetValue(DocumentName(merged.Blobs, documents[i][0], 0), out var map) && map.Moves)
            {
                byDocument[i + 1] = map;
            }
        }

        if (byDocument.Count == 0)
        {
            return;
        }

        var added = new System.Reflection.Metadata.BlobBuilder();
        var rows = merged.Rows(MethodDebugInformation);
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            if (row[1] == 0 || updated.Contains((uint)(i + 1)) || (row[0] != 0 && !byDocument.ContainsKey((int)row[0])))
            {
                continue;
            }

            var blob = Heaps.Blob(merged.Blobs, row[1]).ToArray();
            var moved = SequencePoints.MoveLines(blob, (int)row[0], d => byDocument.GetValueOrDefault(d))
                ?? throw new MergeRefusedException("a method the edit did not change has code on an edited line");
            if (!moved.AsSpan().SequenceEqual(blob))
            {
                var offset = merged.Blobs.Length + added.Count;
                added.WriteCompressedInteger(moved.Length);
                added.WriteBytes(moved);
                rows[i] = [row[0], (uint)offset];
            }
        }

        merged.Blobs = Heaps.Concat(merged.Blobs, added.ToArray());
    }

    /// <summary>
    /// Maps each document of the delta to the merged one of the same name; the merged row takes the
    /// delta's checksum (the file was edited). A body edit cannot bring a new document.
    /// </summary>
    private static int[] MapDocuments(MetadataImage merged, MetadataImage delta, Rebase rebase)
    {
        var rows = delta.Rows(Document);
        var map = new int[rows.Count + 1];
        var names = merged.Rows(Document).Select(r => DocumentName(merged.Blobs, r[0], 0)).ToList();
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rebase.Row(Document, rows[i]);
            var found = names.IndexOf(DocumentName(merged.Blobs, row[0], rebase.Blobs));
            if (found < 0)
            {
                throw new MergeRefusedException("the edit's debug information names a new document");
            }

            var old = merged.Rows(Document)[found];
            merged.Rows(Document)[found] = [old[0], row[1], row[2], old[3]];
            map[i + 1] = found + 1;
        }

        return map;
    }

    /// <summary>A document name blob: a separator, then the blob offsets of the parts (in the heap the row came from, <paramref name="partsBase"/> past its start).</summary>
    private static string DocumentName(byte[] blobs, uint offset, int partsBase)
    {
        var (length, prefix) = Heaps.BlobLength(blobs, (int)offset);
        var at = (int)offset + prefix;
        var end = at + length;
        var separator = blobs[at++];
        var parts = new List<string>();
        while (at < end)
        {
            var (part, size) = Heaps.BlobLength(blobs, at);
            at += size;
            parts.Add(part == 0 ? string.Empty : System.Text.Encoding.UTF8.GetString(Heaps.Blob(blobs, (uint)(part + partsBase))));
        }

        return separator == 0 ? string.Concat(parts) : string.Join((char)separator, parts);
    }

    private static int FindOrAdd(MetadataImage merged, int table, uint[] row, Func<uint[], uint[], bool> same)
    {
        var rows = merged.Rows(table);
        var found = rows.FindIndex(r => same(r, row));
        if (found >= 0)
        {
            return found + 1;
        }

        rows.Add(row);
        return rows.Count;
    }
}

/// <summary>Moves a self-contained delta's heap references past the merged heaps they are appended to.</summary>
internal readonly record struct Rebase(int Strings, int Blobs, int Guids)
{
    /// <summary>A copy of <paramref name="row"/> of <paramref name="table"/> with its heap references moved.</summary>
    public uint[] Row(int table, uint[] row)
    {
        var columns = MetadataSchema.Columns(table)!;
        var result = (uint[])row.Clone();
        for (var c = 0; c < columns.Length; c++)
        {
            if (result[c] != 0)
            {
                result[c] += columns[c].Kind switch
                {
                    ColumnKind.String => (uint)Strings,
                    ColumnKind.Blob => (uint)Blobs,
                    ColumnKind.Guid => (uint)Guids,
                    _ => 0,
                };
            }
        }

        return result;
    }
}

/// <summary>Where a PDB delta's rows land in the merged PDB.</summary>
internal sealed record PdbMaps(Rebase Rebase, DeltaMethods Methods, int[] Documents, int[] Imports, ScopeRebuild Scopes);
