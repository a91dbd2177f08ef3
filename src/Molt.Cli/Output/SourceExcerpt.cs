namespace Molt.Cli.Output;

/// <summary>The source line a diagnostic points at, with a caret under its column.</summary>
internal static class SourceExcerpt
{
    private const int MaxWidth = 160;

    /// <summary>Reads the line; <see langword="null"/> when the file or line cannot be read.</summary>
    /// <returns>The gutter-prefixed line and the caret line.</returns>
    public static (string Line, string Caret)? Read(string? file, int line, int column)
    {
        if (file is null || line <= 0 || !File.Exists(file))
        {
            return null;
        }

        string? text;
        try
        {
            text = File.ReadLines(file).Skip(line - 1).FirstOrDefault();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        if (text is null)
        {
            return null;
        }

        // Tabs would put the caret in the wrong place; the excerpt is for reading, not copying.
        text = text.Replace('\t', ' ');
        var caretAt = Math.Clamp(column - 1, 0, text.Length);
        if (text.Length > MaxWidth)
        {
            var start = Math.Clamp(caretAt - (MaxWidth / 2), 0, text.Length - MaxWidth);
            text = text.Substring(start, MaxWidth);
            caretAt -= start;
        }

        var gutter = $"{line,5} | ";
        return (gutter + text, new string(' ', gutter.Length - 2) + "| " + new string(' ', caretAt) + "^");
    }
}
