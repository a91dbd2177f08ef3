namespace Molt.Compilation.Delta;

/// <summary>Why a delta cannot become a standalone image exactly as a full compile would have made it.</summary>
internal sealed class MergeRefusedException(string reason) : Exception(reason);

/// <summary>
/// Applies the type-system part of an edit-and-continue delta to a merged image. Only what a plain
/// method-body edit produces is accepted: re-emitted method, parameter and attribute rows that
/// equal the ones already there (the method's body excepted), and new reference rows appended
/// after the existing ones, so every id and heap offset the delta's IL uses stays right. Anything
/// else (a new member, a new type, a changed signature) is refused and the module is compiled whole.
/// </summary>
internal static class MetadataMerge
{
    private const int TypeRef = 0x01;
    private const int MethodDef = 0x06;
    private const int Param = 0x08;
    private const int Constant = 0x0B;
    private const int CustomAttribute = 0x0C;
    private const int AssemblyRef = 0x23;

    // Reference tables a body may need new rows in: TypeRef, MemberRef, StandAloneSig, TypeSpec, AssemblyRef, MethodSpec.
    private static readonly HashSet<int> s_appendable = [TypeRef, 0x0A, 0x11, 0x1B, AssemblyRef, 0x2B];

    /// <summary>
    /// Applies <paramref name="delta"/> to <paramref name="merged"/> (a copy the caller owns) and
    /// returns the new bodies of the updated methods by MethodDef row.
    /// </summary>
    /// <param name="merged">The image so far.</param>
    /// <param name="delta">The delta's metadata.</param>
    /// <param name="il">The delta's IL stream (updated bodies are at the offsets its MethodDef rows give).</param>
    /// <param name="assemblyRefs">The merged row of each AssemblyRef in the delta chain's numbering (the delta re-adds references the image already has; they are folded into the existing rows, as a full compile has each once).</param>
    public static Dictionary<int, byte[]> Apply(MetadataImage merged, MetadataImage delta, byte[] il, List<int> assemblyRefs)
    {
        if (delta.Guids.Length < merged.Guids.Length)
        {
            throw new BadImageFormatException("the delta's #GUID heap is smaller than the image's");
        }

        // #Strings, #Blob and #US of a delta continue the aggregate heaps, as Roslyn numbers them:
        // #Blob and #US padded to 4 bytes, #Strings unpadded. #GUID is whole in each delta and only
        // its Module row refers to it: the merged image keeps its own (its MVID is replaced), so
        // the deltas' random EncIds do not make the image differ from one compile to the next.
        merged.Strings = Heaps.Concat(merged.Strings, delta.Strings.AsSpan(0, Heaps.UnpaddedStrings(delta.Strings)).ToArray());
        merged.Blobs = Heaps.Concat(merged.Blobs, delta.Blobs);
        merged.UserStrings = Heaps.Concat(merged.UserStrings, delta.UserStrings);

        var bodies = new Dictionary<int, byte[]>();
        // AssemblyRef first: the TypeRefs a delta adds may name the references it adds.
        foreach (var (table, rows) in DeltaRows.Of(delta).OrderBy(t => t.Key == AssemblyRef ? -1 : t.Key))
        {
            if (table == 0x00)
            {
                continue;
            }

            foreach (var (id, row) in rows)
            {
                if (table is Constant or CustomAttribute && IsRepeated(merged, table, row))
                {
                    // An updated method's parameter defaults and attributes, emitted again as new rows: the image has them.
                    continue;
                }

                var existing = table == AssemblyRef ? assemblyRefs.Count : merged.RowCount(table);
                if (id <= existing)
                {
                    Update(merged, table, (id, row), il, bodies);
                }
                else if (id == existing + 1 && s_appendable.Contains(table))
                {
                    Append(merged, table, row, assemblyRefs);
                }
                else
                {
                    throw new MergeRefusedException($"the edit adds rows to metadata table 0x{table:X2} (a new member, type or attribute)");
                }
            }
        }

        return bodies;
    }

    private static void Update(MetadataImage merged, int table, (int Id, uint[] Row) update, byte[] il, Dictionary<int, byte[]> bodies)
    {
        var (id, row) = update;
        var old = merged.Rows(table)[id - 1];
        var same = table switch
        {
            // RVA, ImplFlags, Flags, Name, Signature, ParamList (a minimal delta leaves ParamList 0).
            MethodDef => row[1] == old[1] && row[2] == old[2] && merged.SameString(row[3], old[3])
                && (merged.SameBlob(row[4], old[4]) || new SignatureComparer(merged, (a, b) => SameTypeRef(merged, a, b)).SameMethod(row[4], old[4])),
            Param => row[0] == old[0] && row[1] == old[1] && merged.SameString(row[2], old[2]),
            CustomAttribute => row[0] == old[0] && SameConstructor(merged, row[1], old[1]) && merged.SameBlob(row[2], old[2]),
            _ => false,
        };
        if (!same)
        {
            throw new MergeRefusedException($"the edit changes a row of metadata table 0x{table:X2} beyond a method body");
        }

        if (table == MethodDef)
        {
            bodies[id] = row[0] == 0 ? throw new MergeRefusedException("an updated method has no body") : MethodBody.Copy(il, (int)row[0]);
        }
    }

    private static void Append(MetadataImage merged, int table, uint[] row, List<int> assemblyRefs)
    {
        if (table == AssemblyRef)
        {
            var rows = merged.Rows(AssemblyRef);
            var same = rows.FindIndex(r => r[0] == row[0] && r[1] == row[1] && r[2] == row[2] && r[3] == row[3] && r[4] == row[4]
                && merged.SameBlob(r[5], row[5]) && merged.SameString(r[6], row[6]) && merged.SameString(r[7], row[7]));
            if (same < 0)
            {
                rows.Add(row);
            }

            assemblyRefs.Add(same < 0 ? rows.Count : same + 1);
            return;
        }

        if (table == TypeRef && MetadataSchema.Decode(MetadataSchema.ResolutionScope, row[0]) is (AssemblyRef, var scope))
        {
            row = [MetadataSchema.Encode(MetadataSchema.ResolutionScope, AssemblyRef, assemblyRefs[scope - 1]), row[1], row[2]];
        }

        merged.Rows(table).Add(row);
    }

    /// <summary>Whether the image already has a row equal to a delta's new Constant or CustomAttribute row.</summary>
    private static bool IsRepeated(MetadataImage merged, int table, uint[] row) => merged.Rows(table).Any(r => table == Constant
        ? r[0] == row[0] && r[1] == row[1] && merged.SameBlob(r[2], row[2])
        : r[0] == row[0] && SameConstructor(merged, r[1], row[1]) && merged.SameBlob(r[2], row[2]));

    /// <summary>Whether two attribute constructors are the same method (a delta names it by a MemberRef row of its own).</summary>
    private static bool SameConstructor(MetadataImage merged, uint a, uint b)
    {
        var coding = MetadataSchema.CustomAttributeType;
        var ((tableA, rowA), (tableB, rowB)) = (MetadataSchema.Decode(coding, a), MetadataSchema.Decode(coding, b));
        if (tableA != tableB || rowA == rowB || tableA != 0x0A)
        {
            return tableA == tableB && rowA == rowB;
        }

        var (x, y) = (merged.Rows(0x0A)[rowA - 1], merged.Rows(0x0A)[rowB - 1]);
        return merged.SameString(x[1], y[1]) && merged.SameBlob(x[2], y[2]) && SameParent(merged, x[0], y[0]);
    }

    private static bool SameParent(MetadataImage merged, uint a, uint b)
    {
        var coding = MetadataSchema.MemberRefParent;
        var ((tableA, rowA), (tableB, rowB)) = (MetadataSchema.Decode(coding, a), MetadataSchema.Decode(coding, b));
        return tableA == tableB && (rowA == rowB || (tableA == TypeRef && SameTypeRef(merged, rowA, rowB)));
    }

    private static bool SameTypeRef(MetadataImage merged, int a, int b)
    {
        var (x, y) = (merged.Rows(TypeRef)[a - 1], merged.Rows(TypeRef)[b - 1]);
        var ((scopeTableA, scopeA), (scopeTableB, scopeB)) = (MetadataSchema.Decode(MetadataSchema.ResolutionScope, x[0]), MetadataSchema.Decode(MetadataSchema.ResolutionScope, y[0]));
        return merged.SameString(x[1], y[1]) && merged.SameString(x[2], y[2]) && scopeTableA == scopeTableB
            && (scopeA == scopeB || (scopeTableA == TypeRef && SameTypeRef(merged, scopeA, scopeB)));
    }
}
