using System.Security.Cryptography;

namespace Molt.Compilation;

/// <summary>
/// How the compilation cache frames an entry of any kind: a magic that says what it is, the body,
/// and a SHA-256 of both, so a torn write, a bad disk or a hand edit is recognised, never read.
/// </summary>
internal static class SealedEntry
{
    private const int HashLength = 32;

    /// <summary>Appends the checksum to <paramref name="content"/> (which starts with the entry's magic).</summary>
    public static byte[] Seal(ReadOnlySpan<byte> content) => [.. content, .. SHA256.HashData(content)];

    /// <summary>
    /// Checks the magic and the checksum; <see langword="true"/> with the length of the content
    /// (magic and body, without the checksum) when the entry is intact.
    /// </summary>
    public static bool TryOpen(byte[] bytes, ReadOnlySpan<byte> magic, out int contentLength)
    {
        contentLength = bytes.Length - HashLength;
        return contentLength >= magic.Length
            && bytes.AsSpan(0, magic.Length).SequenceEqual(magic)
            && SHA256.HashData(bytes.AsSpan(0, contentLength)).AsSpan().SequenceEqual(bytes.AsSpan(contentLength));
    }
}
