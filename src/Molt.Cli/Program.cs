using System.Runtime.InteropServices;
using Molt.Cli.Commands;
using Molt.Cli.Output;

namespace Molt.Cli;

/// <summary>The <c>molt</c> command's entry point.</summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        // The default action of SIGUSR1 and SIGHUP ends the process. Until `molt run`'s host has its
        // own reload handlers in place, one of them sent early (a script that reloads as soon as the
        // pid exists) must not kill it: ignore it. The first load reads every file anyway.
        using var usr1 = Ignore((PosixSignal)(OperatingSystem.IsLinux() ? 10 : 30));
        using var hup = Ignore(PosixSignal.SIGHUP);
        return await MoltCommandLine.InvokeAsync(args, CliOutput.ForProcess()).ConfigureAwait(false);
    }

    private static PosixSignalRegistration? Ignore(PosixSignal signal) =>
        OperatingSystem.IsWindows() ? null : PosixSignalRegistration.Create(signal, context => context.Cancel = true);
}
