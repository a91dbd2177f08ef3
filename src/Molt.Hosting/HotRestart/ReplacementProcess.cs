using System.Diagnostics;
using System.Text;

namespace Molt.Hosting.HotRestart;

/// <summary>Starts the process that replaces this one: the same executable, arguments and working directory.</summary>
internal static class ReplacementProcess
{
    /// <summary>Starts it with <c>MOLT_HANDOVER</c> naming the hand-over socket; it shares this process's standard streams.</summary>
    /// <exception cref="InvalidOperationException">The command line cannot be read or the process cannot start.</exception>
    public static Process Start(string handoverPath)
    {
        var info = new ProcessStartInfo(Environment.ProcessPath ?? throw new InvalidOperationException("The executable of this process is unknown."))
        {
            UseShellExecute = false,
            WorkingDirectory = Environment.CurrentDirectory,
        };
        foreach (var argument in CommandLine().Skip(1))
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment[HandoverReceiver.EnvironmentVariable] = handoverPath;
        try
        {
            return Process.Start(info) ?? throw new InvalidOperationException("The new process did not start.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"The new process did not start: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// This process's argv, exactly (<c>dotnet app.dll --urls …</c>, or an apphost and its arguments):
    /// <see cref="Environment.GetCommandLineArgs"/> drops the host's own arguments, /proc keeps them.
    /// </summary>
    private static string[] CommandLine()
    {
        var raw = File.ReadAllBytes("/proc/self/cmdline");
        var arguments = Encoding.UTF8.GetString(raw).Split('\0');
        // The kernel ends every argument with NUL, so the last element is empty.
        return arguments[..^1];
    }
}
