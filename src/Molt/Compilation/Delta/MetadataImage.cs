using System.Buffers.Binary;
using System.Text;

namespace Molt.Compilation.Delta;

/// <summary>
/// A metadata blob (a PE's metadata, a portable PDB, or an edit-and-continue delta) decoded into
/// rows of numbers and raw heaps. Rows are never changed in place: a merge replaces a row with a
/// new array, so an image can be copied by copying its table lists.
/// </summary>
internal sealed partial class MetadataImage
{
    private const uint Signature = 0x424A5342; // "BSJB"
    private const byte ExtraData = 0x40;

    private MetadataImage(string version)
    {
        Version = version;
    }

    /// <summary>Gets the version string of the metadata root.</summary>
    public string Version { get; }

    /// <summary>Gets the streams in their order on disk, by name (heaps and tables are rewritten, others kept).</summary>
    public List<string> StreamOrder { get; } = [];

    /// <summary>Gets or sets the #Strings heap, as stored (padded).</summary>
    public byte[] Strings { get; set; } = [];

    /// <summary>Gets or sets the #US heap.</summary>
    public byte[] UserStrings { get; set; } = [];

    /// <summary>Gets or sets the #GUID heap.</summary>
    public byte[] Guids { get; set; } = [];

    /// <summary>Gets or sets the #Blob heap.</summary>
    public byte[] Blobs { get; set; } = [];

    /// <summary>Gets or sets the portable PDB header (#Pdb stream), if this is a PDB.</summary>
    public PdbHeader? Pdb { get; set; }

    /// <summary>Gets the rows of each table (null: the table is absent).</summary>
    public List<uint[]>?[] Tables { get; } = new List<uint[]>?[MetadataSchema.TableCount];

    /// <summary>Gets or sets which tables are sorted (copied to the written header).</summary>
    public ulong Sorted { get; set; }

    /// <summary>Gets a value indicating whether this is a minimal edit-and-continue delta (every index 4 bytes wide).</summary>
    public bool IsMinimalDelta { get; private set; }

    /// <summary>Gets the number of rows of <paramref name="table"/>.</summary>
    public int RowCount(int table) => Tables[table]?.Count ?? 0;

    /// <summary>Gets the rows of <paramref name="table"/>, creating the table when absent.</summary>
    public List<uint[]> Rows(int table) => Tables[table] ??= [];

    /// <summary>Decodes a metadata blob.</summary>
    public static MetadataImage Read(ReadOnlySpan<byte> data)
    {
        if (data.Length < 16 || BinaryPrimitives.ReadUInt32LittleEndian(data) != Signature)
        {
            throw new BadImageFormatException("not a metadata blob");
        }

        var versionLength = BinaryPrimitives.ReadInt32LittleEndian(data[12..]);
        var image = new MetadataImage(Encoding.UTF8.GetString(data.Slice(16, versionLength)).TrimEnd('\0'));
        var at = 16 + versionLength + 2;
        int streams = BinaryPrimitives.ReadUInt16LittleEndian(data[at..]);
        at += 2;
        var found = new Dictionary<string, (int Offset, int Size)>(StringComparer.Ordinal);
        for (var i = 0; i < streams; i++)
        {
            var offset = BinaryPrimitives.ReadInt32LittleEndian(data[at..]);
            var size = BinaryPrimitives.ReadInt32LittleEndian(data[(at + 4)..]);
            var nameLength = data[(at + 8)..].IndexOf((byte)0);
            var name = Encoding.ASCII.GetString(data.Slice(at + 8, nameLength));
            at += 8 + ((nameLength + 4) & ~3);
            found[name] = (offset, size);
            image.StreamOrder.Add(name);
        }

        image.Strings = Heap(data, found, "#Strings");
        image.UserStrings = Heap(data, found, "#US");
        image.Guids = Heap(data, found, "#GUID");
        image.Blobs = Heap(data, found, "#Blob");
        image.IsMinimalDelta = found.ContainsKey("#JTD");
        if (found.TryGetValue("#Pdb", out var pdb))
        {
            image.Pdb = PdbHeader.Read(data.Slice(pdb.Offset, pdb.Size));
        }

        var tables = found.TryGetValue("#~", out var compressed) ? compressed
            : found.TryGetValue("#-", out var uncompressed) ? uncompressed
            : throw new BadImageFormatException("no table stream");
        image.ReadTables(data.Slice(tables.Offset, tables.Size));
        return image;
    }

    private static byte[] Heap(ReadOnlySpan<byte> data, Dictionary<string, (int Offset, int Size)> found, string name) =>
        found.TryGetValue(name, out var s) ? data.Slice(s.Offset, s.Size).ToArray() : [];

    private void ReadTables(ReadOnlySpan<byte> stream)
    {
        var heapSizes = stream[6];
        var valid = BinaryPrimitives.ReadUInt64LittleEndian(stream[8..]);
        Sorted = BinaryPrimitives.ReadUInt64LittleEndian(stream[16..]);
        var at = 24;
        var counts = new int[MetadataSchema.TableCount];
        for (var t = 0; t < MetadataSchema.TableCount; t++)
        {
            if ((valid & (1UL << t)) != 0)
            {
                counts[t] = BinaryPrimitives.ReadInt32LittleEndian(stream[at..]);
                at += 4;
            }
        }

        if ((heapSizes & ExtraData) != 0)
        {
            at += 4;
        }

        var widths = new ColumnWidths(heapSizes, counts, Pdb?.Rows, IsMinimalDelta);
        for (var t = 0; t < MetadataSchema.TableCount; t++)
        {
            if ((valid & (1UL << t)) == 0)
            {
                continue;
            }

            var columns = MetadataSchema.Columns(t) ?? throw new BadImageFormatException($"unknown metadata table 0x{t:X2}");
            var sizes = widths.Of(t);
            var rows = new List<uint[]>(counts[t]);
            for (var r = 0; r < counts[t]; r++)
            {
                var row = new uint[columns.Length];
                for (var c = 0; c < columns.Length; c++)
                {
                    row[c] = sizes[c] == 2 ? BinaryPrimitives.ReadUInt16LittleEndian(stream[at..]) : BinaryPrimitives.ReadUInt32LittleEndian(stream[at..]);
                    at += sizes[c];
                }

                rows.Add(row);
            }

            Tables[t] = rows;
        }
    }

    /// <summary>Whether two #Strings offsets hold the same string (a delta adds again the names it uses).</summary>
    public bool SameString(uint a, uint b) => a == b || Heaps.String(Strings, a).SequenceEqual(Heaps.String(Strings, b));

    /// <summary>Whether two #Blob offsets hold the same bytes.</summary>
    public bool SameBlob(uint a, uint b) => a == b || Heaps.Blob(Blobs, a).SequenceEqual(Heaps.Blob(Blobs, b));

    /// <summary>Copies the image: the table lists and heaps are new, the rows shared (rows are replaced, never changed).</summary>
    public MetadataImage Copy()
    {
        var copy = new MetadataImage(Version)
        {
            Strings = Strings,
            UserStrings = UserStrings,
            Guids = Guids,
            Blobs = Blobs,
            Pdb = Pdb,
            Sorted = Sorted,
        };
        copy.StreamOrder.AddRange(StreamOrder);
        for (var t = 0; t < Tables.Length; t++)
        {
            copy.Tables[t] = Tables[t] is { } rows ? [.. rows] : null;
        }

        return copy;
    }
}

/// <summary>The #Pdb stream: the PDB's id, entry point and the row counts of the type-system tables it refers to.</summary>
internal sealed partial record PdbHeader(byte[] Id, uint EntryPoint, int[] Rows)
{
    public static PdbHeader Read(ReadOnlySpan<byte> stream)
    {
        var mask = BinaryPrimitives.ReadUInt64LittleEndian(stream[24..]);
        var rows = new int[MetadataSchema.TableCount];
        var at = 32;
        for (var t = 0; t < MetadataSchema.TableCount; t++)
        {
            if ((mask & (1UL << t)) != 0)
            {
                rows[t] = BinaryPrimitives.ReadInt32LittleEndian(stream[at..]);
                at += 4;
            }
        }

        return new PdbHeader(stream[..20].ToArray(), BinaryPrimitives.ReadUInt32LittleEndian(stream[20..]), rows);
    }
}
