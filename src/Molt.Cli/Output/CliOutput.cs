using Spectre.Console;

namespace Molt.Cli.Output;

/// <summary>
/// Where the command writes: human output through Spectre.Console, machine output (<c>--json</c>)
/// as plain text on standard output, errors on standard error. Tests pass in-memory writers.
/// </summary>
internal sealed class CliOutput(IAnsiConsole console, TextWriter stdout, TextWriter stderr)
{
    // Redirected output (a pipe, a log file, a test) must not wrap at Spectre's default 80 columns:
    // one reload is one line, and paths are long.
    private const int RedirectedWidth = 4096;

    public IAnsiConsole Console { get; } = console;

    public TextWriter Out { get; } = stdout;

    public TextWriter Error { get; } = stderr;

    /// <summary>The real console of the process.</summary>
    public static CliOutput ForProcess()
    {
        var redirected = System.Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(System.Console.Out),
            Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
        });
        if (redirected)
        {
            console.Profile.Width = RedirectedWidth;
        }

        return new CliOutput(console, System.Console.Out, System.Console.Error);
    }

    /// <summary>An output into writers, without colours or wrapping: for tests.</summary>
    public static CliOutput ForWriters(TextWriter stdout, TextWriter stderr)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(stdout),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = RedirectedWidth;
        return new CliOutput(console, stdout, stderr);
    }

    /// <summary>Writes one JSON document on standard output.</summary>
    public void WriteJson(System.Text.Json.Nodes.JsonNode document)
    {
        Out.WriteLine(document.ToJsonString(JsonFormat.Options));
        Out.Flush();
    }
}
