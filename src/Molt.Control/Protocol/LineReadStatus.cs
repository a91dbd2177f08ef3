namespace Molt.Control;

/// <summary>What <see cref="BoundedLineReader.ReadLineAsync"/> found.</summary>
internal enum LineReadStatus
{
    /// <summary>A line (without its newline) is in <see cref="BoundedLineReader.Line"/>.</summary>
    Line,

    /// <summary>The peer sent more than the limit without a newline; the rest of the stream cannot be trusted.</summary>
    TooLong,

    /// <summary>The peer closed its side and nothing is left.</summary>
    EndOfStream,
}
