using System.Text;
using Microsoft.CodeAnalysis.Text;
using Molt.Modules;

namespace Molt.Compilation;

/// <summary>
/// Turns a source file's bytes into text for the compiler, refusing what it must not be given:
/// binary content, invalid UTF-8, and nesting deep enough to overflow the parser's stack.
/// </summary>
internal static class SourceDecoder
{
    // Strict: a file that is not valid UTF-8 is reported, not silently decoded as Latin-1.
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// The deepest bracket nesting a source may have. Roslyn's parser recurses without a stack guard
    /// on some constructs, and a stack overflow cannot be caught: it would end the process. Real code
    /// never comes near this.
    /// </summary>
    internal const int MaxNesting = 1000;

    public static SourceText? Decode(string module, ModuleFile file, List<ModuleDiagnostic> diagnostics)
    {
        var content = file.Content.AsSpan();
        if (content.IndexOf((byte)0) >= 0)
        {
            diagnostics.Add(new ModuleDiagnostic(module, file.Path, 0, 0, MoltDiagnosticIds.BinarySource, DiagnosticSeverity.Error, "File contains NUL bytes: it looks binary, not C# source."));
            return null;
        }

        if (NestingDepth(content) is var (depth, line) && depth > MaxNesting)
        {
            diagnostics.Add(new ModuleDiagnostic(module, file.Path, line, 0, MoltDiagnosticIds.NestedTooDeeply, DiagnosticSeverity.Error,
                $"Brackets are nested more than {MaxNesting} levels deep; the compiler cannot handle such code safely."));
            return null;
        }

        if (content.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            content = content[3..];
        }

        string text;
        try
        {
            text = s_strictUtf8.GetString(content);
        }
        catch (DecoderFallbackException ex)
        {
            diagnostics.Add(new ModuleDiagnostic(module, file.Path, 0, 0, MoltDiagnosticIds.NotUtf8, DiagnosticSeverity.Error,
                $"File is not valid UTF-8 (byte offset {ex.Index}); save it as UTF-8."));
            return null;
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            // Most often a save caught half way (truncated, not yet written): compiling it would
            // replace the module with nothing. Removing a module is done by deleting it.
            diagnostics.Add(new ModuleDiagnostic(module, file.Path, 0, 0, MoltDiagnosticIds.EmptySource, DiagnosticSeverity.Error,
                "File is empty; the module keeps its current code. To remove a module, delete its file."));
            return null;
        }

        return SourceText.From(text, Encoding.UTF8, SourceHashAlgorithm.Sha256);
    }

    /// <summary>The deepest nesting of ( [ { in the bytes (strings and comments included: an overestimate), and the line where it peaks.</summary>
    private static (int Depth, int Line) NestingDepth(ReadOnlySpan<byte> content)
    {
        int depth = 0, deepest = 0, line = 1, deepestLine = 1;
        foreach (var b in content)
        {
            switch (b)
            {
                case (byte)'(' or (byte)'[' or (byte)'{':
                    if (++depth > deepest)
                    {
                        (deepest, deepestLine) = (depth, line);
                    }

                    break;
                case (byte)')' or (byte)']' or (byte)'}':
                    depth = Math.Max(0, depth - 1);
                    break;
                case (byte)'\n':
                    line++;
                    break;
            }
        }

        return (deepest, deepestLine);
    }
}
