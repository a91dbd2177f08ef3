using System.Diagnostics;
using System.Globalization;
using Molt.Tests.Infrastructure;

namespace Molt.Tests.CompileServer;

/// <summary>
/// A private socket directory for one test, the compile server's program from its build output,
/// and servers started by the test itself (with a fault) or by the engine; every server is
/// killed at the end, found by the pid file it writes beside its socket.
/// </summary>
internal sealed class ServerRig : IDisposable
{
    private readonly List<Process> _started = [];

    public ServerRig()
    {
        // CreateTempSubdirectory makes it 0700, as the user's socket directory is.
        Directory = System.IO.Directory.CreateTempSubdirectory("molt-cs-");
        SocketPath = Path.Combine(Directory.FullName, "compile.sock");
    }

    public DirectoryInfo Directory { get; }

    public string SocketPath { get; }

    /// <summary>The server's dll, built beside the tests in the same configuration.</summary>
    public static string Program
    {
        get
        {
            var tests = AppContext.BaseDirectory; // tests/Molt.Tests/bin/<Configuration>/net10.0/
            var configuration = new DirectoryInfo(tests).Parent!.Name;
            var root = Path.GetFullPath(Path.Combine(tests, "../../../../.."));
            return Path.Combine(root, "src", "Molt.CompileServer", "bin", configuration, "net10.0", "Molt.CompileServer.dll");
        }
    }

    /// <summary>Options that send compiles to this rig's server (started by the engine when none listens).</summary>
    public void Configure(MoltOptions options, TimeSpan? timeout = null)
    {
        options.CompileServer = CompileServerMode.Auto;
        options.CompileServerPath = Program;
        options.CompileServerSocket = SocketPath;
        options.CompileServerIdleTimeout = TimeSpan.FromSeconds(20);
        options.CompileServerTimeout = timeout ?? TimeSpan.FromSeconds(60);
    }

    /// <summary>Starts a server on the rig's socket, optionally with a test fault, and waits until it listens.</summary>
    public async Task<Process> StartServerAsync(string? fault = null)
    {
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardError = true };
        foreach (var arg in new[] { Program, "--socket", SocketPath, "--idle-seconds", "60" })
        {
            info.ArgumentList.Add(arg);
        }

        if (fault is not null)
        {
            info.ArgumentList.Add("--test-fault");
            info.ArgumentList.Add(fault);
        }

        var process = Process.Start(info)!;
        _started.Add(process);
        await WaitUntilAsync(() => File.Exists(PidPath), "the server to listen");
        return process;
    }

    public string PidPath => Path.ChangeExtension(SocketPath, ".pid");

    /// <summary>The pid of the server listening now (from its pid file).</summary>
    public int? ServerPid => File.Exists(PidPath) && int.TryParse(File.ReadAllText(PidPath), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;

    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > TestTimeouts.Reload)
            {
                throw new TimeoutException($"Timed out waiting for {what}.");
            }

            await Task.Delay(10);
        }
    }

    public void Dispose()
    {
        if (ServerPid is { } pid)
        {
            Kill(pid);
        }

        foreach (var process in _started)
        {
            Kill(process.Id);
            process.Dispose();
        }

        try
        {
            Directory.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static void Kill(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
            process.WaitForExit(TimeSpan.FromSeconds(10));
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            // Already gone.
        }
    }
}
