namespace Molt.Compilation.Delta;

/// <summary>Reads heap entries by offset, to compare a delta's re-added names and signatures with the base's.</summary>
internal static class Heaps
{
    /// <summary>The bytes of the null-terminated string at <paramref name="offset"/> of a #Strings heap.</summary>
    public static ReadOnlySpan<byte> String(byte[] heap, uint offset)
    {
        var rest = heap.AsSpan((int)offset);
        var end = rest.IndexOf((byte)0);
        return end < 0 ? throw new BadImageFormatException("unterminated string") : rest[..end];
    }

    /// <summary>The bytes of the blob at <paramref name="offset"/> of a #Blob heap (length prefix excluded).</summary>
    public static ReadOnlySpan<byte> Blob(byte[] heap, uint offset)
    {
        var (length, prefix) = BlobLength(heap, (int)offset);
        return heap.AsSpan((int)offset + prefix, length);
    }

    /// <summary>The length of the blob at <paramref name="at"/> and the size of its prefix (ECMA-335 II.24.2.4).</summary>
    public static (int Length, int Prefix) BlobLength(byte[] heap, int at)
    {
        var first = heap[at];
        return (first & 0x80) == 0 ? (first, 1)
            : (first & 0xC0) == 0x80 ? (((first & 0x3F) << 8) | heap[at + 1], 2)
            : (((first & 0x1F) << 24) | (heap[at + 1] << 16) | (heap[at + 2] << 8) | heap[at + 3], 4);
    }

    /// <summary>The length of a #Strings heap without its padding: up to the last string's terminator.</summary>
    public static int UnpaddedStrings(byte[] heap)
    {
        var last = heap.AsSpan().LastIndexOfAnyExcept((byte)0);
        return last < 0 ? 0 : last + 2;
    }

    /// <summary>A new array: <paramref name="first"/> then <paramref name="second"/>.</summary>
    public static byte[] Concat(byte[] first, byte[] second)
    {
        var result = new byte[first.Length + second.Length];
        first.CopyTo(result, 0);
        second.CopyTo(result, first.Length);
        return result;
    }
}
