using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Molt.Samples.Tests.Irc;

/// <summary>A real ngircd on a free loopback port, with a generated configuration, killed at dispose.</summary>
internal sealed class NgircdServer : IAsyncDisposable
{
    /// <summary>ngircd's ping timeout on this server (its minimum): an idle client is pinged after this long, and dropped as long again later if it does not answer.</summary>
    public static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(5);

    private readonly Process _process;
    private readonly string _directory;
    private readonly StringBuilder _output = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private NgircdServer(Process process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    /// <summary>Gets ngircd's path, or <see langword="null"/> when it is not installed.</summary>
    public static string? Executable { get; } = Find();

    public int Port { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts ngircd and waits until it listens; retries with another port if the one it picked was taken meanwhile.</summary>
    public static async Task<NgircdServer> StartAsync(TimeSpan timeout)
    {
        var executable = Executable ?? throw new InvalidOperationException("ngircd is not installed (apt-get install -y ngircd); .ci/run installs it.");
        var failures = new List<string>();
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var server = Launch(executable, FreePort());
            if (await server.WaitUntilListeningAsync(timeout))
            {
                return server;
            }

            failures.Add(server.Output);
            await server.DisposeAsync();
        }

        throw new InvalidOperationException("ngircd did not start:\n" + string.Join("\n---\n", failures));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static NgircdServer Launch(string executable, int port)
    {
        var directory = Path.Combine(Path.GetTempPath(), "molt-ngircd", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        var config = Path.Combine(directory, "ngircd.conf");
        File.WriteAllText(config, Configuration(port));

        var info = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("--nodaemon");
        info.ArgumentList.Add("--config");
        info.ArgumentList.Add(config);
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var server = new NgircdServer(process, directory, port);
        process.OutputDataReceived += (_, e) => server.Add(e.Data);
        process.ErrorDataReceived += (_, e) => server.Add(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>
    /// A minimal server: loopback only, no DNS, ident or PAM lookups, no flood penalties (the tests
    /// send a line every 50 ms), long nicks, and the shortest ping timeout ngircd accepts.
    /// </summary>
    private static string Configuration(int port)
    {
        // ngircd refuses to run as root without a user to switch to.
        var asRoot = Environment.UserName == "root" ? "ServerUID = nobody\nServerGID = nogroup\n" : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"""
            [Global]
            Name = irc.molt.test
            Info = Molt sample tests
            AdminInfo1 = Molt
            AdminInfo2 = tests
            AdminEMail = molt@localhost
            Listen = 127.0.0.1
            Ports = {port}
            MotdPhrase = molt
            {asRoot}
            [Limits]
            MaxNickLength = 30
            MaxConnectionsIP = 0
            MaxJoins = 0
            MaxPenaltyTime = 0
            PingTimeout = {PingTimeout.TotalSeconds}
            PongTimeout = {PingTimeout.TotalSeconds}

            [Options]
            PAM = no
            Ident = no
            DNS = no
            """);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string? Find()
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries);
        return path.Append("/usr/sbin").Append("/usr/local/sbin").Select(d => Path.Combine(d, "ngircd")).FirstOrDefault(File.Exists);
    }

    private async Task<bool> WaitUntilListeningAsync(TimeSpan timeout)
    {
        var ready = $"Now listening on [127.0.0.1]:{Port}";
        using var cancel = new CancellationTokenSource(timeout);
        while (true)
        {
            Task changed;
            lock (_output)
            {
                if (_output.ToString().Contains(ready, StringComparison.Ordinal))
                {
                    break;
                }

                changed = _changed.Task;
            }

            if (_process.HasExited)
            {
                return false;
            }

            try
            {
                // Woken by the next output line or the exit.
                await Task.WhenAny(changed, _process.WaitForExitAsync(cancel.Token)).WaitAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        // Listening: make sure it accepts.
        using var probe = new TcpClient();
        await probe.ConnectAsync(IPAddress.Loopback, Port, cancel.Token);
        return true;
    }

    private void Add(string? line)
    {
        if (line is null)
        {
            return;
        }

        TaskCompletionSource changed;
        lock (_output)
        {
            _output.AppendLine(line);
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }
}
