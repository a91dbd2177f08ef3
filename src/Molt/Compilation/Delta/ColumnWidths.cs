namespace Molt.Compilation.Delta;

/// <summary>
/// How many bytes each column takes, from the heap-size flags and the row counts (ECMA-335
/// II.24.2.6): an index is 2 bytes while what it points into is small enough, 4 otherwise; a
/// minimal edit-and-continue delta uses 4 for every index.
/// </summary>
internal sealed class ColumnWidths
{
    private const byte LargeStrings = 0x01;
    private const byte LargeGuids = 0x02;
    private const byte LargeBlobs = 0x04;

    private readonly int[][] _widths = new int[MetadataSchema.TableCount][];

    /// <param name="heapSizes">The header's heap-size flags.</param>
    /// <param name="counts">The row count of each table in this blob.</param>
    /// <param name="externalCounts">For a PDB: the row counts of the type-system tables it refers to.</param>
    /// <param name="allLarge">Whether every index is 4 bytes (a minimal delta).</param>
    public ColumnWidths(byte heapSizes, int[] counts, int[]? externalCounts, bool allLarge)
    {
        int Rows(int table) => Math.Max(counts[table], externalCounts?[table] ?? 0);
        int Index(bool large) => allLarge || large ? 4 : 2;
        for (var t = 0; t < MetadataSchema.TableCount; t++)
        {
            if (MetadataSchema.Columns(t) is not { } columns)
            {
                continue;
            }

            _widths[t] = [.. columns.Select(c => c.Kind switch
            {
                ColumnKind.U2 => 2,
                ColumnKind.U4 => 4,
                ColumnKind.String => Index((heapSizes & LargeStrings) != 0),
                ColumnKind.Guid => Index((heapSizes & LargeGuids) != 0),
                ColumnKind.Blob => Index((heapSizes & LargeBlobs) != 0),
                ColumnKind.Table => Index(Rows(c.Target) > ushort.MaxValue),
                _ => Index(MetadataSchema.Coding(c.Target) is var coding
                    && coding.Tables.Any(x => x >= 0 && Rows(x) >= 1 << (16 - coding.TagBits))),
            })];
        }
    }

    /// <summary>Gets the heap-size flags for heaps of these lengths.</summary>
    public static byte HeapFlags(int strings, int guids, int blobs) => (byte)(
        (strings > ushort.MaxValue ? LargeStrings : 0)
        | (guids / 16 > ushort.MaxValue ? LargeGuids : 0)
        | (blobs > ushort.MaxValue ? LargeBlobs : 0));

    /// <summary>Gets the width of each column of <paramref name="table"/>.</summary>
    public int[] Of(int table) => _widths[table];
}
