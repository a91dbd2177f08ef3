using Molt.Cli.Commands;
using Molt.Cli.Output;

namespace Molt.Cli;

/// <summary>The <c>molt</c> command's entry point.</summary>
internal static class Program
{
    public static Task<int> Main(string[] args) => MoltCommandLine.InvokeAsync(args, CliOutput.ForProcess());
}
