using System.Diagnostics;
using System.Globalization;

namespace Molt.Cli.Tests;

/// <summary>
/// The compile servers that engines start in one test's runtime directory (their socket, pid file
/// and log sit in <c>$XDG_RUNTIME_DIR/molt</c>): found by their pid files, read through
/// <c>/proc</c>, and all killed at disposal, so no test leaves one running for its 10 idle minutes.
/// </summary>
internal sealed class CompileServers(string runtimeDirectory) : IDisposable
{
    private readonly HashSet<int> _seen = [];

    public string Directory => Path.Combine(runtimeDirectory, "molt");

    /// <summary>Gets the files a server leaves in the directory (socket, pid file, log).</summary>
    public IReadOnlyList<string> Files => System.IO.Directory.Exists(Directory)
        ? [.. System.IO.Directory.EnumerateFiles(Directory, "compile-*")]
        : [];

    /// <summary>Waits for a server that listens (its pid file names a live process) and returns its pid.</summary>
    public async Task<int> WaitForServerAsync(int? other = null)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TestTimeouts.Process)
        {
            if (PidFromFile() is { } pid && pid != other && IsAlive(pid))
            {
                _seen.Add(pid);
                return pid;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"No compile server listened in {Directory} within {TestTimeouts.Process}: {string.Join(", ", Files)}");
    }

    /// <summary>The lines of the servers' logs (<c>MOLT_COMPILE_SERVER_TRACE=1</c>) for compiles of <paramref name="module"/>.</summary>
    public string[] Compiled(string module) =>
        [.. Files.Where(f => f.EndsWith(".log", StringComparison.Ordinal))
            .SelectMany(File.ReadAllLines)
            .Where(l => l.Contains($" {module}: ", StringComparison.Ordinal) && l.EndsWith(", compiled", StringComparison.Ordinal))];

    public static string CommandLine(int pid) =>
        File.Exists($"/proc/{pid}/cmdline") ? File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ') : "";

    /// <summary>Whether the process runs: a killed server nobody reaps yet is a zombie, already dead.</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }

    public static async Task WaitForExitAsync(int pid)
    {
        var deadline = Stopwatch.StartNew();
        while (IsAlive(pid))
        {
            if (deadline.Elapsed > TestTimeouts.Process)
            {
                throw new TimeoutException($"Process {pid} did not end within {TestTimeouts.Process}.");
            }

            await Task.Delay(20);
        }
    }

    public void Dispose()
    {
        if (PidFromFile() is { } pid)
        {
            _seen.Add(pid);
        }

        // Only a compile server: a pid seen earlier may have been reused since.
        foreach (var server in _seen.Where(p => IsAlive(p) && CommandLine(p).Contains("Molt.CompileServer", StringComparison.Ordinal)))
        {
            Signals.Send(server, 9);
        }
    }

    private int? PidFromFile()
    {
        var file = Files.FirstOrDefault(f => f.EndsWith(".pid", StringComparison.Ordinal));
        try
        {
            return file is not null && int.TryParse(File.ReadAllText(file).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (IOException)
        {
            return null; // removed as the server stopped
        }
    }
}
