using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Molt.Control;

namespace Molt.AspNetCore.Tests.HotRestart;

/// <summary>
/// tests/Molt.HotRestart.TestHost started as a real process in a directory of its own. A process
/// it hot-restarts into shares its standard output, so both print here.
/// </summary>
internal sealed partial class RestartableHost : IAsyncDisposable
{
    public const string Module = """
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Http;
        using Microsoft.AspNetCore.Routing;
        using Molt.AspNetCore;

        public static class Counter
        {
            [Persistent] public static int Hits { get; set; }
        }

        [Export]
        public sealed class Api : IModuleEndpoints
        {
            public void MapEndpoints(IEndpointRouteBuilder endpoints)
            {
                endpoints.MapGet("/hit", () => $"{Environment.ProcessId} {++Counter.Hits}");
            }
        }
        """;

    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly SemaphoreSlim _changed = new(0);
    private readonly string _directory;

    private RestartableHost(Process process, string directory)
    {
        _process = process;
        _directory = directory;
    }

    public int Pid => _process.Id;

    public int Port { get; private set; }

    public int RawPort { get; private set; }

    public string ModeFile => Path.Combine(_directory, "mode");

    public string Output
    {
        get
        {
            lock (_lines)
            {
                return string.Join('\n', _lines);
            }
        }
    }

    public static async Task<RestartableHost> StartAsync(double readyTimeoutSeconds = 60, params string[] options)
    {
        var directory = Directory.CreateTempSubdirectory("molt-hot-restart-").FullName;
        Directory.CreateDirectory(Path.Combine(directory, "modules"));
        File.WriteAllText(Path.Combine(directory, "modules", "api.cs"), Module);
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory };
        string[] arguments =
        [
            Path.Combine(AppContext.BaseDirectory, "Molt.HotRestart.TestHost.dll"),
            "--modules", Path.Combine(directory, "modules"),
            "--cache", Path.Combine(directory, "cache"),
            "--mode-file", Path.Combine(directory, "mode"),
            "--ready-timeout", readyTimeoutSeconds.ToString(CultureInfo.InvariantCulture),
            .. options,
        ];
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = info };
        var host = new RestartableHost(process, directory);
        process.OutputDataReceived += (_, e) => host.Add(e.Data);
        process.ErrorDataReceived += (_, e) => host.Add(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var ready = await host.WaitForLineAsync($"READY pid={process.Id} ", TimeSpan.FromSeconds(90));
        host.Port = int.Parse(PortPattern().Match(ready).Groups[1].Value, CultureInfo.InvariantCulture);
        host.RawPort = int.Parse(RawPortPattern().Match(ready).Groups[1].Value, CultureInfo.InvariantCulture);
        return host;
    }

    public Task<RestartReply> RestartAsync() => RestartAsync(Pid, expectOk: false);

    /// <summary>As the static overload, for a process this host restarted into; a failure to get a reply carries every process's output.</summary>
    public async Task<RestartReply> RestartProcessAsync(int pid, bool expectOk)
    {
        try
        {
            return await RestartableHost.RestartAsync(pid, expectOk);
        }
        catch (ControlException ex)
        {
            throw new ControlException($"{ex.Message} Output:\n{Output}", ex);
        }
    }

    /// <summary>Asks process <paramref name="pid"/> (this host or one it restarted into) to hot-restart, through its control socket.</summary>
    public static async Task<RestartReply> RestartAsync(int pid, bool expectOk = true)
    {
        var client = new ControlClient(new ControlClientOptions { SocketPath = ControlSocketPaths.GetDefaultSocketPath(pid), Timeout = TimeSpan.FromSeconds(120) });
        var reply = await client.SendAsync(new ControlRequest(ControlCommands.Restart));
        Assert.True(reply.Ok, reply.Error?.Message);
        var result = reply.ReadResult(ControlJson.RestartReply);
        Assert.True(!expectOk || result.Ok, result.Error);
        return result;
    }

    /// <summary>Connects to the raw listener and reads the process id it answers with.</summary>
    public async Task<int> ReadRawAsync()
    {
        using var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync(System.Net.IPAddress.Loopback, RawPort).WaitAsync(TimeSpan.FromSeconds(30));
        using var reader = new StreamReader(client.GetStream());
        var line = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return int.Parse(line!, CultureInfo.InvariantCulture);
    }

    public async Task<string> WaitForLineAsync(string start, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (true)
        {
            lock (_lines)
            {
                if (_lines.FirstOrDefault(l => l.StartsWith(start, StringComparison.Ordinal)) is { } found)
                {
                    return found;
                }
            }

            try
            {
                await _changed.WaitAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No line starting '{start}' within {timeout}. Output:\n{Output}");
            }
        }
    }

    /// <summary>Waits for the process to be gone (not for its output: a process it restarted into holds that open).</summary>
    public static async Task WaitForExitAsync(int pid, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (IsAlive(pid))
        {
            await Task.Delay(50, cancel.Token);
        }
    }

    public static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var pid in NewPids().Append(Pid))
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill(entireProcessTree: true);
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
            {
                // Already gone.
            }
        }

        await WaitForExitAsync(Pid, TimeSpan.FromSeconds(30));
        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A process killed a moment ago may still hold a file; the system's temp cleaning takes it.
        }
    }

    private IEnumerable<int> NewPids()
    {
        lock (_lines)
        {
            return [.. _lines.Select(l => ReadyPattern().Match(l)).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))];
        }
    }

    private void Add(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lines)
        {
            _lines.Add(line);
        }

        _changed.Release();
    }

    [GeneratedRegex(@"port=(\d+)")]
    private static partial Regex PortPattern();

    [GeneratedRegex(@"raw=(\d+)")]
    private static partial Regex RawPortPattern();

    [GeneratedRegex(@"READY pid=(\d+)")]
    private static partial Regex ReadyPattern();
}
