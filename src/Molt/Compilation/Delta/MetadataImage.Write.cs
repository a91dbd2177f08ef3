using System.Buffers.Binary;
using System.Text;

namespace Molt.Compilation.Delta;

internal sealed partial class MetadataImage
{
    /// <summary>
    /// Encodes the image as a compressed (#~) metadata blob, with the narrowest widths the row
    /// counts and heap sizes allow, streams in the order they were read.
    /// </summary>
    public byte[] Write()
    {
        var streams = new List<(string Name, byte[] Data)>();
        foreach (var name in StreamOrder)
        {
            byte[]? data = name switch
            {
                "#~" or "#-" => WriteTables(),
                "#Strings" => Strings,
                "#US" => UserStrings,
                "#GUID" => Guids,
                "#Blob" => Blobs,
                "#Pdb" => Pdb?.Write(),
                _ => null, // #JTD and other delta markers have no place in a full image
            };
            if (data is not null)
            {
                streams.Add((name == "#-" ? "#~" : name, data));
            }
        }

        var version = Encoding.UTF8.GetBytes(Version);
        var versionLength = (version.Length + 4) & ~3;
        var headerSize = 16 + versionLength + 4 + streams.Sum(s => 8 + ((s.Name.Length + 4) & ~3));
        var output = new byte[headerSize + streams.Sum(s => Align4(s.Data.Length))];
        var span = output.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span, Signature);
        BinaryPrimitives.WriteUInt16LittleEndian(span[4..], 1);
        BinaryPrimitives.WriteUInt16LittleEndian(span[6..], 1);
        BinaryPrimitives.WriteInt32LittleEndian(span[12..], versionLength);
        version.CopyTo(span[16..]);
        var at = 16 + versionLength + 2;
        BinaryPrimitives.WriteUInt16LittleEndian(span[at..], (ushort)streams.Count);
        at += 2;
        var offset = headerSize;
        foreach (var (name, data) in streams)
        {
            BinaryPrimitives.WriteInt32LittleEndian(span[at..], offset);
            BinaryPrimitives.WriteInt32LittleEndian(span[(at + 4)..], Align4(data.Length));
            Encoding.ASCII.GetBytes(name).CopyTo(span[(at + 8)..]);
            at += 8 + ((name.Length + 4) & ~3);
            data.CopyTo(span[offset..]);
            offset += Align4(data.Length);
        }

        return output;
    }

    private byte[] WriteTables()
    {
        var counts = new int[MetadataSchema.TableCount];
        ulong valid = 0;
        for (var t = 0; t < MetadataSchema.TableCount; t++)
        {
            // EncLog and EncMap belong to deltas only.
            if (t is 0x1E or 0x1F || RowCount(t) == 0)
            {
                continue;
            }

            counts[t] = RowCount(t);
            valid |= 1UL << t;
        }

        var heapSizes = ColumnWidths.HeapFlags(Strings.Length, Guids.Length, Blobs.Length);
        var widths = new ColumnWidths(heapSizes, counts, Pdb?.Rows, allLarge: false);
        var size = 24 + (4 * System.Numerics.BitOperations.PopCount(valid));
        for (var t = 0; t < MetadataSchema.TableCount; t++)
        {
            if (counts[t] > 0)
            {
                size += counts[t] * widths.Of(t).Sum();
            }
        }

        var output = new byte[Align4(size)];
        var span = output.AsSpan();
        var at = WriteTablesHeader(span, heapSizes, valid, counts);
        for (var t = 0; t < MetadataSchema.TableCount; t++)
        {
            if (counts[t] == 0)
            {
                continue;
            }

            var sizes = widths.Of(t);
            foreach (var row in Tables[t]!)
            {
                for (var c = 0; c < sizes.Length; c++)
                {
                    if (sizes[c] == 2)
                    {
                        BinaryPrimitives.WriteUInt16LittleEndian(span[at..], checked((ushort)row[c]));
                    }
                    else
                    {
                        BinaryPrimitives.WriteUInt32LittleEndian(span[at..], row[c]);
                    }

                    at += sizes[c];
                }
            }
        }

        return output;
    }

    /// <summary>Writes the #~ header (ECMA-335 II.24.2.6) and returns where the rows start.</summary>
    private int WriteTablesHeader(Span<byte> span, byte heapSizes, ulong valid, int[] counts)
    {
        span[4] = 2; // version 2.0
        span[6] = heapSizes;
        span[7] = 1;
        BinaryPrimitives.WriteUInt64LittleEndian(span[8..], valid);
        BinaryPrimitives.WriteUInt64LittleEndian(span[16..], Sorted & valid);
        var at = 24;
        for (var t = 0; t < MetadataSchema.TableCount; t++)
        {
            if (counts[t] > 0)
            {
                BinaryPrimitives.WriteInt32LittleEndian(span[at..], counts[t]);
                at += 4;
            }
        }

        return at;
    }

    private static int Align4(int value) => (value + 3) & ~3;
}

/// <content>Writing the #Pdb stream.</content>
internal sealed partial record PdbHeader
{
    public byte[] Write()
    {
        ulong mask = 0;
        for (var t = 0; t < MetadataSchema.TableCount; t++)
        {
            mask |= Rows[t] > 0 ? 1UL << t : 0;
        }

        var output = new byte[32 + (4 * System.Numerics.BitOperations.PopCount(mask))];
        Id.CopyTo(output, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(output.AsSpan(20), EntryPoint);
        BinaryPrimitives.WriteUInt64LittleEndian(output.AsSpan(24), mask);
        var at = 32;
        for (var t = 0; t < MetadataSchema.TableCount; t++)
        {
            if (Rows[t] > 0)
            {
                BinaryPrimitives.WriteInt32LittleEndian(output.AsSpan(at), Rows[t]);
                at += 4;
            }
        }

        return output;
    }
}
