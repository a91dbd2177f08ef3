using System.CommandLine;
using Molt.Cli.Output;

namespace Molt.Cli.Commands;

/// <summary>The <c>molt</c> command line: run, reload, status, check, verify, snapshot, stop, restart.</summary>
internal static class MoltCommandLine
{
    // A plain command named "molt", not a RootCommand: a RootCommand is named after the running
    // assembly, and help would say "Usage: Molt.Cli" (the assembly cannot be called molt.dll, see
    // the project file).
    public static Command Create(CliOutput output) => new("molt", "molt: hot code reloading for .NET. Run a folder of C# modules and reload them while the process keeps running.")
    {
        new System.CommandLine.Help.HelpOption(),
        new VersionOption(),
        RunCommand.Create(output),
        ClientCommands.Reload(output),
        ClientCommands.Status(output),
        CheckCommand.Create(output),
        ClientCommands.Verify(output),
        ClientCommands.Snapshot(output),
        ClientCommands.Stop(output),
        ClientCommands.Restart(output),
    };

    public static Task<int> InvokeAsync(string[] args, CliOutput output, CancellationToken cancellationToken = default)
    {
        var configuration = new InvocationConfiguration
        {
            // molt run stops through the Generic Host's console lifetime, which handles SIGINT and SIGTERM itself.
            ProcessTerminationTimeout = null,
            Output = output.Out,
            Error = output.Error,
        };
        return Create(output).Parse(args).InvokeAsync(configuration, cancellationToken);
    }
}
