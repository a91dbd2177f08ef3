using System.Buffers.Binary;
using System.Reflection.PortableExecutable;

namespace Molt.Compilation.Delta;

/// <summary>
/// Makes a new PE image from the first image of a delta chain: its code section is kept byte for
/// byte (so every RVA in it, of old bodies, field data, resources and debug directory, stays
/// valid), and the new method bodies and the merged metadata are appended to it; the sections
/// after it move, and the CLI header points at the new metadata. The old metadata stays behind as
/// unused bytes, once, whatever the length of the chain.
/// </summary>
internal sealed class PeRewriter
{
    private const int CliHeaderMetadata = 8;
    private const int ResourceDirectory = 2;
    private const int ImageResourceDataIsDirectory = unchecked((int)0x80000000);

    private readonly byte[] _image;
    private readonly PEHeaders _headers;
    private readonly int _text;

    public PeRewriter(byte[] image)
    {
        _image = image;
        _headers = new PEHeaders(new MemoryStream(image, writable: false));
        var pe = _headers.PEHeader ?? throw new BadImageFormatException("not a PE image");
        _text = _headers.SectionHeaders.IndexOf(_headers.SectionHeaders.FirstOrDefault(s => s.VirtualAddress <= pe.CorHeaderTableDirectory.RelativeVirtualAddress
            && pe.CorHeaderTableDirectory.RelativeVirtualAddress < s.VirtualAddress + s.VirtualSize));
        if (_text < 0 || pe.CertificateTableDirectory.Size != 0
            || _headers.SectionHeaders.Skip(_text + 1).Any(s => s.Name is not (".rsrc" or ".reloc")))
        {
            throw new MergeRefusedException("the image's layout is not one the merger knows");
        }

        var text = _headers.SectionHeaders[_text];
        AppendRva = Align(text.VirtualAddress + text.VirtualSize, 4);
    }

    /// <summary>Gets the RVA where appended bytes (new bodies, then the metadata) start.</summary>
    public int AppendRva { get; }

    /// <summary>The file offset of an RVA inside the code section.</summary>
    public int TextOffset(int rva) => _headers.SectionHeaders[_text].PointerToRawData + (rva - _headers.SectionHeaders[_text].VirtualAddress);

    /// <summary>Writes the new image: <paramref name="appended"/> (bodies, then the metadata at <paramref name="metadataRva"/>) after the code section.</summary>
    public byte[] Build(byte[] appended, int metadataRva, int metadataSize, Action<byte[]> patchText)
    {
        var pe = _headers.PEHeader!;
        var sections = _headers.SectionHeaders;
        var text = sections[_text];
        var newVirtualSize = AppendRva + appended.Length - text.VirtualAddress;
        var newRawSize = Align(newVirtualSize, pe.FileAlignment);
        var rawShift = newRawSize - text.SizeOfRawData;
        var rvaShift = Align(text.VirtualAddress + newVirtualSize, pe.SectionAlignment) - Align(text.VirtualAddress + text.VirtualSize, pe.SectionAlignment);
        var last = sections[^1];
        var output = new byte[last.PointerToRawData + last.SizeOfRawData + rawShift];

        _image.AsSpan(0, text.PointerToRawData + text.VirtualSize).CopyTo(output);
        appended.CopyTo(output, TextOffset(AppendRva));
        for (var i = _text + 1; i < sections.Length; i++)
        {
            _image.AsSpan(sections[i].PointerToRawData, sections[i].SizeOfRawData).CopyTo(output.AsSpan(sections[i].PointerToRawData + rawShift));
        }

        var span = output.AsSpan();
        var sectionTable = _headers.PEHeaderStartOffset + _headers.CoffHeader.SizeOfOptionalHeader;
        for (var i = 0; i < sections.Length; i++)
        {
            var at = sectionTable + (40 * i);
            if (i == _text)
            {
                BinaryPrimitives.WriteInt32LittleEndian(span[(at + 8)..], newVirtualSize);
                BinaryPrimitives.WriteInt32LittleEndian(span[(at + 16)..], newRawSize);
            }
            else if (i > _text)
            {
                BinaryPrimitives.WriteInt32LittleEndian(span[(at + 12)..], sections[i].VirtualAddress + rvaShift);
                BinaryPrimitives.WriteInt32LittleEndian(span[(at + 20)..], sections[i].PointerToRawData + rawShift);
            }
        }

        var header = _headers.PEHeaderStartOffset;
        BinaryPrimitives.WriteInt32LittleEndian(span[(header + 4)..], pe.SizeOfCode + rawShift);
        BinaryPrimitives.WriteInt32LittleEndian(span[(header + 56)..], pe.SizeOfImage + rvaShift);
        BinaryPrimitives.WriteInt32LittleEndian(span[(header + 64)..], 0); // checksum: not computed, as for any unsigned library
        var directories = header + (pe.Magic == PEMagic.PE32Plus ? 112 : 96);
        for (var d = 0; d < pe.NumberOfRvaAndSizes; d++)
        {
            var rva = BinaryPrimitives.ReadInt32LittleEndian(span[(directories + (8 * d))..]);
            if (rva >= text.VirtualAddress + text.VirtualSize)
            {
                BinaryPrimitives.WriteInt32LittleEndian(span[(directories + (8 * d))..], rva + rvaShift);
            }
        }

        var cli = TextOffset(pe.CorHeaderTableDirectory.RelativeVirtualAddress) + CliHeaderMetadata;
        BinaryPrimitives.WriteInt32LittleEndian(span[cli..], metadataRva);
        BinaryPrimitives.WriteInt32LittleEndian(span[(cli + 4)..], metadataSize);
        MoveResources(output, rvaShift, rawShift);
        patchText(output);
        return output;
    }

    /// <summary>Resource data entries hold RVAs: they move with their section.</summary>
    private void MoveResources(byte[] output, int rvaShift, int rawShift)
    {
        var directory = _headers.PEHeader!.ResourceTableDirectory;
        if (directory.Size == 0 || rvaShift == 0)
        {
            return;
        }

        var section = _headers.SectionHeaders.First(s => s.VirtualAddress <= directory.RelativeVirtualAddress && directory.RelativeVirtualAddress < s.VirtualAddress + Math.Max(s.VirtualSize, s.SizeOfRawData));
        var start = section.PointerToRawData + rawShift + (directory.RelativeVirtualAddress - section.VirtualAddress);
        var seen = new HashSet<int>();
        void Walk(int offset)
        {
            if (!seen.Add(offset) || seen.Count > 10_000)
            {
                throw new BadImageFormatException("malformed resource directory");
            }

            var at = start + offset;
            var entries = BinaryPrimitives.ReadUInt16LittleEndian(output.AsSpan(at + 12)) + BinaryPrimitives.ReadUInt16LittleEndian(output.AsSpan(at + 14));
            for (var e = 0; e < entries; e++)
            {
                var target = BinaryPrimitives.ReadInt32LittleEndian(output.AsSpan(at + 16 + (8 * e) + 4));
                if ((target & ImageResourceDataIsDirectory) != 0)
                {
                    Walk(target & ~ImageResourceDataIsDirectory);
                }
                else
                {
                    var data = output.AsSpan(start + target);
                    BinaryPrimitives.WriteInt32LittleEndian(data, BinaryPrimitives.ReadInt32LittleEndian(data) + rvaShift);
                }
            }
        }

        Walk(0);
    }

    private static int Align(int value, int alignment) => (value + alignment - 1) / alignment * alignment;
}
