using System.Diagnostics;
using System.Globalization;

namespace Molt.Compilation.Server;

/// <summary>
/// Starts the compile server detached from the host: in its own session (so a Ctrl+C to the
/// host's terminal does not reach it), with no descriptor of the host's (so nothing that waits for
/// the host's output to end waits for the server too), outliving the host until its idle timeout.
/// </summary>
internal static class ServerLauncher
{
    // The shell backgrounds the server and exits at once; the server is then no child of the host.
    private const string Script =
        "if command -v setsid >/dev/null 2>&1; then setsid \"$@\"; else \"$@\"; fi </dev/null >/dev/null 2>>\"$MOLT_COMPILE_SERVER_LOG\" &";

    /// <exception cref="System.ComponentModel.Win32Exception">The shell could not be started.</exception>
    public static void Start(ServerLocation location, TimeSpan idleTimeout)
    {
        var start = new ProcessStartInfo("/bin/sh")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["MOLT_COMPILE_SERVER_LOG"] = Path.ChangeExtension(location.SocketPath, ".log");
        foreach (var argument in (string[])["-c", Script, "sh", .. Command(location.Program)])
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add("--socket");
        start.ArgumentList.Add(location.SocketPath);
        start.ArgumentList.Add("--idle-seconds");
        start.ArgumentList.Add(((int)Math.Ceiling(idleTimeout.TotalSeconds)).ToString(CultureInfo.InvariantCulture));
        using var shell = Process.Start(start) ?? throw new InvalidOperationException("The shell that starts the compile server did not start.");
        shell.StandardInput.Close();

        // Only the shell: it returns as soon as the server is in the background.
        shell.WaitForExit(TimeSpan.FromSeconds(5));
    }

    /// <summary>A <c>.dll</c> runs on the same <c>dotnet</c> as the host; anything else is run as it is.</summary>
    private static string[] Command(string program)
    {
        if (!program.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            return [program];
        }

        var host = Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet"
            ? self
            : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? MuxerOfThisRuntime() ?? "dotnet";
        return [host, program];
    }

    /// <summary>
    /// The <c>dotnet</c> of the runtime this process runs on (…/dotnet/shared/Microsoft.NETCore.App/&lt;version&gt;/
    /// is three levels below it): a host started through an apphost, as an installed <c>molt</c> is,
    /// has neither <c>dotnet</c> as its process nor <c>DOTNET_HOST_PATH</c>, and its runtime need not be on the PATH.
    /// </summary>
    private static string? MuxerOfThisRuntime()
    {
        var muxer = Path.GetFullPath(Path.Combine(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..", "dotnet"));
        return File.Exists(muxer) ? muxer : null;
    }
}
