namespace Molt.Compilation.Delta;

/// <summary>
/// Where the lines of an edited file went: every line outside the edited bodies moved by the
/// difference in length of the edited bodies above it. Lines are 1-based, as in sequence points.
/// </summary>
internal sealed class LineMap
{
    private readonly ((int First, int Last) Old, int Shift)[] _bodies;

    private LineMap(((int First, int Last) Old, int Shift)[] bodies)
    {
        _bodies = bodies;
    }

    /// <summary>Gets a value indicating whether any line moved.</summary>
    public bool Moves => _bodies.Any(b => b.Shift != 0);

    /// <summary>The map of edited bodies (0-based first and last lines before and after, in file order).</summary>
    public static LineMap Of(IReadOnlyList<((int First, int Last) Old, (int First, int Last) New)> bodies) =>
        new([.. bodies.Select(b => ((b.Old.First + 1, b.Old.Last + 1), (b.New.Last - b.New.First) - (b.Old.Last - b.Old.First)))]);

    /// <summary>The new line of an old line; <see langword="null"/> for a line of an edited body (its code was compiled again).</summary>
    public int? Map(int line)
    {
        var shift = 0;
        foreach (var (old, bodyShift) in _bodies)
        {
            if (line < old.First)
            {
                break;
            }

            if (line <= old.Last)
            {
                return null;
            }

            shift += bodyShift;
        }

        return line + shift;
    }
}
