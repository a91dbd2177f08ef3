namespace Molt.Compilation.Delta;

/// <summary>
/// The rows of an edit-and-continue delta with their real ids: the delta numbers its own rows
/// from 1 per table, and its EncMap lists, in the same order, the ids they have in the aggregate
/// (base + earlier deltas) numbering that its IL tokens and coded indices use.
/// </summary>
internal static class DeltaRows
{
    private const int EncMap = 0x1F;

    /// <summary>Each table's rows of <paramref name="delta"/>, as (real row id, row).</summary>
    public static Dictionary<int, List<(int Id, uint[] Row)>> Of(MetadataImage delta)
    {
        var next = new int[MetadataSchema.TableCount];
        var result = new Dictionary<int, List<(int, uint[])>>();
        foreach (var entry in delta.Tables[EncMap] ?? [])
        {
            var table = (int)(entry[0] >> 24);
            var id = (int)(entry[0] & 0xFFFFFF);
            var rows = delta.Tables[table] ?? throw new BadImageFormatException($"EncMap names table 0x{table:X2}, which the delta lacks");
            if (next[table] >= rows.Count)
            {
                throw new BadImageFormatException($"EncMap names more rows of table 0x{table:X2} than the delta has");
            }

            if (!result.TryGetValue(table, out var list))
            {
                result[table] = list = [];
            }

            list.Add((id, rows[next[table]++]));
        }

        for (var t = 0; t < MetadataSchema.TableCount; t++)
        {
            if (t is not (EncMap or 0x1E or 0x00) && next[t] != delta.RowCount(t))
            {
                throw new BadImageFormatException($"the delta's table 0x{t:X2} has rows its EncMap does not name");
            }
        }

        return result;
    }
}
