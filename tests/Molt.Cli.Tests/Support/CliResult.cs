using System.Text.Json.Nodes;

namespace Molt.Cli.Tests;

/// <summary>What one run of a <c>molt</c> client command printed and returned.</summary>
internal sealed record CliResult(int ExitCode, string Output, string Error)
{
    public JsonObject Json => JsonNode.Parse(Output)?.AsObject() ?? throw new InvalidOperationException($"Not JSON: {Output}");

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Output}\nstderr:\n{Error}";
}
