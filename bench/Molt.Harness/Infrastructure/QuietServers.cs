using System.Diagnostics;

namespace Molt.Harness.Infrastructure;

/// <summary>
/// Waits until every compile server on the machine has stopped working: a server the uncounted
/// first start of a series started is still jitting and tiering up its code in the background, on
/// the same cores the counted starts need. "With the server running" means a server that is idle.
/// </summary>
internal static class QuietServers
{
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(500);

    /// <summary>Returns when the servers used under 5 % of one core over a window, or after <paramref name="timeout"/> (then says so).</summary>
    public static async Task WaitAsync(TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            var before = CpuTicks();
            await Task.Delay(Window);
            var used = TimeSpan.FromSeconds((CpuTicks() - before) / 100.0); // USER_HZ
            if (used < Window * 0.05)
            {
                return;
            }
        }

        Console.Error.WriteLine($"compile servers still busy after {timeout.TotalSeconds:0} s; measuring anyway");
    }

    private static long CpuTicks()
    {
        long total = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                if (!File.ReadAllText(Path.Combine(dir, "cmdline")).Contains("Molt.CompileServer.dll", StringComparison.Ordinal))
                {
                    continue;
                }

                // Fields after the command name's closing parenthesis: utime and stime are the 12th and 13th.
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                total += long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
            {
                // Not a process, or it ended while read.
            }
        }

        return total;
    }
}
