using System.Net.Sockets;

namespace Molt.Control.Tests;

/// <summary>A real control server on a socket in its own private temporary directory.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    private TestServer(ControlServer server, RecordingHandler handler, RecordingLogger logger, string directory)
    {
        Server = server;
        Handler = handler;
        Logger = logger;
        Directory = directory;
    }

    public ControlServer Server { get; }

    public RecordingHandler Handler { get; }

    public RecordingLogger Logger { get; }

    public string Directory { get; }

    public string SocketPath => Server.SocketPath!;

    public static async Task<TestServer> StartAsync(Action<ControlServerOptions>? configure = null, string? directory = null)
    {
        directory ??= TempDirectory.Create("molt-ctl-");
        var options = new ControlServerOptions { SocketPath = Path.Combine(directory, "c.sock") };
        configure?.Invoke(options);
        var handler = new RecordingHandler();
        var logger = new RecordingLogger();
        var server = new ControlServer(handler, options, logger);
        await server.StartAsync(CancellationToken.None).Bounded();
        return new TestServer(server, handler, logger, directory);
    }

    public ControlClient Client(TimeSpan? timeout = null) =>
        new(new ControlClientOptions { SocketPath = SocketPath, Timeout = timeout ?? Within.Default });

    public Task<RawConnection> ConnectRawAsync() => RawConnection.ConnectAsync(SocketPath);

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the system's temp cleaning.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>The pid of a process that has exited (and not been reused yet, in all likelihood).</summary>
    public static async Task<int> ExitedProcessIdAsync()
    {
        using var process = System.Diagnostics.Process.Start("true")!;
        await process.WaitForExitAsync().WaitAsync(Within.Default);
        return process.Id;
    }

    /// <summary>Makes a socket file with nothing listening on it, as a crashed process leaves behind.</summary>
    /// <remarks>
    /// .NET deletes a socket's file when the socket is disposed, so the file is bound under another
    /// name and renamed: disposing then deletes nothing, and the file stays behind, dead.
    /// </remarks>
    public static void CreateStaleSocket(string path)
    {
        var bound = path + ".binding";
        using (var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            socket.Bind(new UnixDomainSocketEndPoint(bound));
            File.Move(bound, path);
        }

        Assert.True(LibC.TryGetStatus(path, followSymlinks: false, out var status) && status.IsSocket, $"{path} should be a leftover socket file");
    }
}
