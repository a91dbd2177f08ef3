using System.Buffers.Binary;

namespace Molt.Compilation.Delta;

/// <summary>Finds where a method body ends (ECMA-335 II.25.4): its header, IL and exception-handling sections.</summary>
internal static class MethodBody
{
    private const byte TinyFormat = 0x2;
    private const byte FatFormat = 0x3;
    private const ushort MoreSections = 0x8;
    private const byte SectionFat = 0x40;
    private const byte SectionMore = 0x80;

    /// <summary>Copies the whole body that starts at <paramref name="offset"/> of <paramref name="data"/>.</summary>
    public static byte[] Copy(byte[] data, int offset) => data.AsSpan(offset, Size(data, offset)).ToArray();

    /// <summary>The size of the body that starts at <paramref name="offset"/>.</summary>
    public static int Size(ReadOnlySpan<byte> data, int offset)
    {
        var header = data[offset];
        if ((header & 0x3) == TinyFormat)
        {
            return 1 + (header >> 2);
        }

        if ((header & 0x3) != FatFormat)
        {
            throw new BadImageFormatException("unknown method body format");
        }

        var flags = BinaryPrimitives.ReadUInt16LittleEndian(data[offset..]);
        var headerSize = 4 * (flags >> 12);
        var end = offset + headerSize + BinaryPrimitives.ReadInt32LittleEndian(data[(offset + 4)..]);
        var more = (flags & MoreSections) != 0;
        while (more)
        {
            end = (end + 3) & ~3;
            var kind = data[end];
            var size = (kind & SectionFat) != 0 ? data[end + 1] | (data[end + 2] << 8) | (data[end + 3] << 16) : data[end + 1];
            more = (kind & SectionMore) != 0;
            end += size;
        }

        return end - offset;
    }
}
