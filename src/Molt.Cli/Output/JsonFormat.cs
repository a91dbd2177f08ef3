using System.Text.Encodings.Web;
using System.Text.Json;

namespace Molt.Cli.Output;

/// <summary>How <c>--json</c> documents are written: indented, with paths and messages left readable.</summary>
internal static class JsonFormat
{
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
