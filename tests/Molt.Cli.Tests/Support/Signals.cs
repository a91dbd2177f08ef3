using System.Runtime.InteropServices;

namespace Molt.Cli.Tests;

/// <summary>Sends POSIX signals with kill(2), the way a user's <c>kill</c> does.</summary>
internal static partial class Signals
{
    public const int SigHup = 1;
    public const int SigTerm = 15;
    public static readonly int SigUsr1 = OperatingSystem.IsLinux() ? 10 : 30;

    public static void Send(int processId, int signal)
    {
        if (kill(processId, signal) != 0)
        {
            throw new InvalidOperationException($"kill({processId}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}
