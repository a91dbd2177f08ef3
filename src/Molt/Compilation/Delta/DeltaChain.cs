using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Security.Cryptography;

namespace Molt.Compilation.Delta;

/// <summary>
/// A module's image and PDB as a chain of merged edit-and-continue deltas on one fully compiled
/// image. Each step is a new value: a refused or failed merge leaves the chain as it was.
/// </summary>
internal sealed class DeltaChain
{
    private const int MethodDef = 0x06;
    private const int CodeView = 2;
    private const int PdbChecksum = 19;

    private readonly PeRewriter _rewriter;
    private readonly MetadataImage _metadata;
    private readonly MetadataImage _pdb;
    private readonly List<int> _assemblyRefs;
    private readonly Dictionary<int, byte[]> _bodies;
    private readonly byte[] _mvid;
    private readonly int _firstHeaps;

    private DeltaChain(PeRewriter rewriter, ChainParts parts, int length, int firstHeaps)
    {
        _rewriter = rewriter;
        (_metadata, _pdb, _assemblyRefs, _bodies, _mvid) = parts;
        _firstHeaps = firstHeaps;
        Length = length;
    }

    /// <summary>Gets how many deltas were merged since the full compile.</summary>
    public int Length { get; }

    /// <summary>Gets whether the heaps grew (deltas re-add the names and signatures they use) by more than half their first size, and by more than 64 KiB.</summary>
    public bool Grown => HeapSize(_metadata) - _firstHeaps > Math.Max(_firstHeaps / 2, 64 * 1024);

    /// <summary>Starts a chain on a fully compiled image and its portable PDB.</summary>
    public static DeltaChain Start(byte[] image, byte[] pdb)
    {
        var rewriter = new PeRewriter(image);
        using var reader = new PEReader(ImmutableArray.Create(image));
        var metadata = MetadataImage.Read(reader.GetMetadata().GetContent().AsSpan());

        // Roslyn numbers the first delta's strings after the heap's last string, not after its padding.
        metadata.Strings = metadata.Strings[..Heaps.UnpaddedStrings(metadata.Strings)];
        var assemblyRefs = Enumerable.Range(1, metadata.RowCount(0x23)).ToList();
        var mvid = metadata.Guids.AsSpan(((int)metadata.Rows(0x00)[0][2] - 1) * 16, 16).ToArray();
        return new DeltaChain(rewriter, new ChainParts(metadata, MetadataImage.Read(pdb), assemblyRefs, [], mvid), 0, HeapSize(metadata));
    }

    /// <summary>
    /// Merges one delta (metadata, IL and PDB streams of <c>EmitDifference</c>) that updates
    /// <paramref name="methods"/> methods; returns the next chain and its image and PDB. A delta that
    /// updates other methods too (a lambda the edit removed is updated to throw) is refused: a full
    /// compile would not have them at all.
    /// </summary>
    /// <param name="metadataDelta">The delta's metadata.</param>
    /// <param name="ilDelta">The delta's IL.</param>
    /// <param name="pdbDelta">The delta's portable PDB.</param>
    /// <param name="methods">How many methods the edit changed.</param>
    /// <param name="lines">How the lines of each edited file moved (by path): the methods below an edited body keep their code and get their new lines.</param>
    public (DeltaChain Next, byte[] Image, byte[] Pdb) Apply(byte[] metadataDelta, byte[] ilDelta, byte[] pdbDelta, int methods, IReadOnlyDictionary<string, LineMap> lines)
    {
        var metadata = _metadata.Copy();
        var assemblyRefs = new List<int>(_assemblyRefs);
        var bodies = new Dictionary<int, byte[]>(_bodies);
        var deltaMetadata = MetadataImage.Read(metadataDelta);
        var updated = MetadataMerge.Apply(metadata, deltaMetadata, ilDelta, assemblyRefs);
        if (updated.Count != methods)
        {
            throw new MergeRefusedException($"the delta updates {updated.Count} methods where the edit changed {methods} (a lambda or local function was removed)");
        }

        foreach (var (row, body) in updated)
        {
            bodies[row] = body;
        }

        var pdb = _pdb.Copy();
        PdbMerge.Apply(pdb, MetadataImage.Read(pdbDelta), lines);

        // New bodies first, each 4-byte aligned (a fat header must be), then the metadata.
        var code = new MemoryStream();
        foreach (var (row, body) in bodies.OrderBy(b => b.Key))
        {
            code.SetLength((code.Length + 3) & ~3);
            code.Position = code.Length;
            var old = metadata.Rows(MethodDef)[row - 1];
            metadata.Rows(MethodDef)[row - 1] = [(uint)(_rewriter.AppendRva + code.Length), old[1], old[2], old[3], old[4], old[5]];
            code.Write(body);
        }

        // Deterministic, as a full compile's MVID: from the previous one and what the delta brought (not its GUID heap, whose EncId is random).
        var mvid = SHA256.HashData([.. _mvid, .. deltaMetadata.Strings, .. deltaMetadata.Blobs, .. deltaMetadata.UserStrings, .. code.ToArray()])[..16];
        metadata.Guids = (byte[])metadata.Guids.Clone();
        mvid.CopyTo(metadata.Guids, ((int)metadata.Rows(0x00)[0][2] - 1) * 16);
        var metadataBytes = metadata.Write();
        code.SetLength((code.Length + 3) & ~3);
        var metadataRva = _rewriter.AppendRva + (int)code.Length;
        code.Position = code.Length;
        code.Write(metadataBytes);

        var (pdbBytes, pdbId, checksum) = WritePdb(pdb, metadata);
        var image = _rewriter.Build(code.ToArray(), metadataRva, metadataBytes.Length, output => PatchDebugDirectory(output, pdbId, checksum));
        return (new DeltaChain(_rewriter, new ChainParts(metadata, pdb, assemblyRefs, bodies, mvid), Length + 1, _firstHeaps), image, pdbBytes);
    }

    private static int HeapSize(MetadataImage metadata) => metadata.Strings.Length + metadata.Blobs.Length + metadata.UserStrings.Length;

    /// <summary>Writes the PDB with the type-system row counts of the new image and its content id (as a deterministic compile does: a hash of the PDB written with a zero id).</summary>
    private static (byte[] Pdb, BlobContentId Id, byte[] Checksum) WritePdb(MetadataImage pdb, MetadataImage metadata)
    {
        var header = pdb.Pdb ?? throw new BadImageFormatException("the PDB has no #Pdb stream");
        var rows = new int[MetadataSchema.TableCount];
        for (var t = 0; t < 0x30; t++)
        {
            rows[t] = t is 0x1E or 0x1F ? 0 : metadata.RowCount(t);
        }

        pdb.Pdb = header with { Id = new byte[20], Rows = rows };
        var zeroed = pdb.Write();
        var checksum = SHA256.HashData(zeroed);
        var id = BlobContentId.FromHash(ImmutableArray.Create(checksum));
        var idBytes = new byte[20];
        id.Guid.ToByteArray().CopyTo(idBytes, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(idBytes.AsSpan(16), id.Stamp);
        pdb.Pdb = header with { Id = idBytes, Rows = rows };
        return (pdb.Write(), id, checksum);
    }

    /// <summary>Points the CodeView and PDB checksum entries of the debug directory at the new PDB.</summary>
    private void PatchDebugDirectory(byte[] output, BlobContentId id, byte[] checksum)
    {
        var headers = new PEHeaders(new MemoryStream(output, writable: false));
        var directory = headers.PEHeader!.DebugTableDirectory;
        for (var at = 0; at + 28 <= directory.Size; at += 28)
        {
            var entry = _rewriter.TextOffset(directory.RelativeVirtualAddress + at);
            var type = BinaryPrimitives.ReadInt32LittleEndian(output.AsSpan(entry + 12));
            var data = _rewriter.TextOffset(BinaryPrimitives.ReadInt32LittleEndian(output.AsSpan(entry + 20)));
            if (type == CodeView)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(output.AsSpan(entry + 4), id.Stamp);
                id.Guid.ToByteArray().CopyTo(output, data + 4);
            }
            else if (type == PdbChecksum)
            {
                var name = Array.IndexOf(output, (byte)0, data) + 1;
                checksum.CopyTo(output, name);
            }
        }
    }
}

/// <summary>What a chain holds after each delta: the merged metadata and PDB, where each AssemblyRef of the delta numbering went, the latest body of each updated method, the MVID.</summary>
internal sealed record ChainParts(MetadataImage Metadata, MetadataImage Pdb, List<int> AssemblyRefs, Dictionary<int, byte[]> Bodies, byte[] Mvid);
