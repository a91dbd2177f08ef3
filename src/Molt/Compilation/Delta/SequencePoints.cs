using System.Reflection.Metadata;

namespace Molt.Compilation.Delta;

/// <summary>
/// Reads and writes a portable PDB's sequence-points blob (local signature, optional initial
/// document, then records: IL offset, line and column span, hidden points, document changes), so
/// the lines of a method that did not change but moved can be rewritten without compiling it.
/// </summary>
internal static class SequencePoints
{
    /// <summary>One record: a sequence point (hidden when <see cref="Hidden"/>) or, with <see cref="Document"/> set, a change of document.</summary>
    internal record struct Point(int Offset, int StartLine, int StartColumn, int EndLine, int EndColumn, bool Hidden, int Document);

    /// <summary>Rewrites the start and end lines of the points in documents <paramref name="edited"/> says moved; <see langword="null"/> when a point lies on an edited line.</summary>
    public static byte[]? MoveLines(byte[] blob, int initialDocument, Func<int, LineMap?> edited)
    {
        var (signature, firstDocument, points) = Read(blob, initialDocument == 0);
        var document = initialDocument == 0 ? firstDocument : initialDocument;
        for (var i = 0; i < points.Count; i++)
        {
            var point = points[i];
            if (point.Document != 0)
            {
                document = point.Document;
                continue;
            }

            if (point.Hidden || edited(document) is not { } map)
            {
                continue;
            }

            if (map.Map(point.StartLine) is not { } start || map.Map(point.EndLine) is not { } end)
            {
                return null;
            }

            points[i] = point with { StartLine = start, EndLine = end };
        }

        return Write(signature, initialDocument == 0 ? firstDocument : 0, points);
    }

    private static unsafe (int Signature, int Document, List<Point> Points) Read(byte[] blob, bool hasDocument)
    {
        fixed (byte* start = blob)
        {
            var reader = new BlobReader(start, blob.Length);
            var signature = reader.ReadCompressedInteger();
            var document = hasDocument ? reader.ReadCompressedInteger() : 0;
            var points = new List<Point>();
            var (offset, line, column, first) = (0, 0, 0, true);
            while (reader.RemainingBytes > 0)
            {
                var deltaOffset = reader.ReadCompressedInteger();
                if (deltaOffset == 0 && points.Count > 0)
                {
                    points.Add(new Point(offset, 0, 0, 0, 0, false, reader.ReadCompressedInteger()));
                    continue;
                }

                offset += deltaOffset;
                var deltaLines = reader.ReadCompressedInteger();
                var deltaColumns = deltaLines == 0 ? reader.ReadCompressedInteger() : reader.ReadCompressedSignedInteger();
                if (deltaLines == 0 && deltaColumns == 0)
                {
                    points.Add(new Point(offset, 0, 0, 0, 0, true, 0));
                    continue;
                }

                (line, column) = first ? (reader.ReadCompressedInteger(), reader.ReadCompressedInteger()) : (line + reader.ReadCompressedSignedInteger(), column + reader.ReadCompressedSignedInteger());
                first = false;
                points.Add(new Point(offset, line, column, line + deltaLines, column + deltaColumns, false, 0));
            }

            return (signature, document, points);
        }
    }

    private static byte[] Write(int signature, int document, List<Point> points)
    {
        var writer = new BlobBuilder();
        writer.WriteCompressedInteger(signature);
        if (document != 0)
        {
            writer.WriteCompressedInteger(document);
        }

        var (offset, line, column, first, any) = (0, 0, 0, true, false);
        foreach (var point in points)
        {
            if (point.Document != 0)
            {
                writer.WriteCompressedInteger(0);
                writer.WriteCompressedInteger(point.Document);
                continue;
            }

            writer.WriteCompressedInteger(any ? point.Offset - offset : point.Offset);
            (offset, any) = (point.Offset, true);
            if (point.Hidden)
            {
                writer.WriteCompressedInteger(0);
                writer.WriteCompressedInteger(0);
                continue;
            }

            var deltaLines = point.EndLine - point.StartLine;
            writer.WriteCompressedInteger(deltaLines);
            if (deltaLines == 0)
            {
                writer.WriteCompressedInteger(point.EndColumn - point.StartColumn);
            }
            else
            {
                writer.WriteCompressedSignedInteger(point.EndColumn - point.StartColumn);
            }

            if (first)
            {
                writer.WriteCompressedInteger(point.StartLine);
                writer.WriteCompressedInteger(point.StartColumn);
            }
            else
            {
                writer.WriteCompressedSignedInteger(point.StartLine - line);
                writer.WriteCompressedSignedInteger(point.StartColumn - column);
            }

            (line, column, first) = (point.StartLine, point.StartColumn, false);
        }

        return writer.ToArray();
    }
}
