using System.Net.Sockets;
using Molt.Compilation;
using Molt.Compilation.Server;
using Molt.Interop;

namespace Molt.CompileServer;

/// <summary>What the server was started with.</summary>
/// <param name="SocketPath">The socket to listen on (its directory must be the user's private one).</param>
/// <param name="IdleTimeout">How long to stay up without a request.</param>
/// <param name="Fault">A test fault: <c>stall</c> (read a request, never answer) or <c>exit</c> (read a request, then end the process).</param>
internal sealed record ServerSettings(string SocketPath, TimeSpan IdleTimeout, string? Fault);

/// <summary>
/// Listens on the socket, answers one request per connection from processes of the same user,
/// and stops once idle. A malformed request gets a refusal and a closed connection; nothing a
/// client sends ends the server.
/// </summary>
internal sealed class ServerHost(ServerSettings settings) : IDisposable
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(30);
    private static readonly bool s_trace = Environment.GetEnvironmentVariable("MOLT_COMPILE_SERVER_TRACE") is "1";

    private readonly ServerCompiler _compiler = new();
    private readonly uint _uid = UnixInterop.EffectiveUserId;
    private readonly CancellationTokenSource _stop = new();
    private long _lastActivity = Environment.TickCount64;
    private int _active;
    private int _editWarmedUp;

    public void Dispose() => _stop.Dispose();

    public async Task<int> RunAsync()
    {
        ServerTrust.EnsureDirectory(Path.GetDirectoryName(settings.SocketPath)!, _uid);
        using var listener = await SocketFile.BindAsync(settings.SocketPath).ConfigureAwait(false);
        if (listener is null)
        {
            return 0; // another server listens there: it serves.
        }

        // SIGTERM (and Ctrl+C, should it reach the server) stops it as idleness does: the socket file goes too.
        using var terminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, Stop);
        using var interrupt = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, Stop);
        var pidFile = Path.ChangeExtension(settings.SocketPath, ".pid");
        await File.WriteAllTextAsync(pidFile, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)).ConfigureAwait(false);
        _ = WatchIdleAsync();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var connection = await listener.Socket.AcceptAsync(_stop.Token).ConfigureAwait(false);
                _ = ServeAsync(connection);
            }
        }
        catch (OperationCanceledException)
        {
            // Idle: stop.
        }
        finally
        {
            File.Delete(pidFile);
        }

        return 0;
    }

    private static bool WarmUpEdit()
    {
        try
        {
            new ModuleCompiler(new MoltOptions { WarmUpCompiler = false }).WarmUpEdit();
        }
        catch (Exception ex)
        {
            // Only the next edit's speed depends on it.
            Console.Error.WriteLine($"warm-up failed: {ex.GetType().Name}: {ex.Message}");
        }

        return true;
    }

    private void Stop(System.Runtime.InteropServices.PosixSignalContext context)
    {
        context.Cancel = true;
        _stop.Cancel();
    }

    private async Task WatchIdleAsync()
    {
        while (true)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Clamp(settings.IdleTimeout.TotalMilliseconds / 4, 50, 5000))).ConfigureAwait(false);
            if (Volatile.Read(ref _active) == 0 && Environment.TickCount64 - Volatile.Read(ref _lastActivity) > settings.IdleTimeout.TotalMilliseconds)
            {
                await _stop.CancelAsync().ConfigureAwait(false);
                return;
            }
        }
    }

    private async Task ServeAsync(Socket connection)
    {
        Interlocked.Increment(ref _active);
        try
        {
            using (connection)
            {
                await AnswerAsync(connection).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException or CompileProtocolException)
        {
            // The client went away, gave up, or sent a length out of range: nothing to answer.
        }
        finally
        {
            Volatile.Write(ref _lastActivity, Environment.TickCount64);
            Interlocked.Decrement(ref _active);
        }
    }

    private async Task AnswerAsync(Socket connection)
    {
        // Only the user who started the server: another user's request is not even read.
        if (UnixInterop.PeerUserId(connection) != _uid)
        {
            return;
        }

        // Bounds the heartbeat's writes (the only ones on the calling thread) to a host that stopped reading.
        connection.SendTimeout = (int)ReadTimeout.TotalMilliseconds;
        await using var stream = new NetworkStream(connection, ownsSocket: false);
        using var timeout = new CancellationTokenSource(ReadTimeout);
        byte[] message;
        try
        {
            message = await Frames.ReadAsync(stream, timeout.Token).ConfigureAwait(false);
        }
        catch (EndOfStreamException)
        {
            return; // a connection that only checked the server is there
        }

        ServerReply reply;
        try
        {
            var request = CompileMessages.DecodeRequest(message);
            using var heartbeat = new Heartbeat(stream, request.HeartbeatInterval);
            reply = await Handle(request, message.Length).ConfigureAwait(false);
        }
        catch (CompileProtocolException ex)
        {
            reply = ServerReply.Refused(ex.Message);
        }

        await Frames.WriteAsync(stream, CompileMessages.Encode(reply), _stop.Token).ConfigureAwait(false);
    }

    private async Task<ServerReply> Handle(ServerRequest request, int messageBytes)
    {
        switch (settings.Fault)
        {
            case "stall":
                // The marker tells a test the request arrived (it may then kill the server mid-request).
                await File.WriteAllTextAsync(Path.ChangeExtension(settings.SocketPath, ".stalled"), string.Empty).ConfigureAwait(false);
                await Task.Delay(Timeout.Infinite, _stop.Token).ConfigureAwait(false);
                break;
            case "exit":
                Environment.Exit(3);
                break;
            case "busy":
                // Works (uses CPU) for 3 s before compiling: longer than the tests' timeout.
                var until = Environment.TickCount64 + 3000;
                while (Environment.TickCount64 < until)
                {
                    Thread.SpinWait(1000);
                }

                break;
        }

        try
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var reply = await LargeStack.RunAsync(() => _compiler.Compile(request)).ConfigureAwait(false);
            if (!request.ScanOnly && Interlocked.Exchange(ref _editWarmedUp, 1) == 0)
            {
                // After the first compile (a host's start), not before it: a throwaway body edit, so
                // the first real edit finds the delta emit and merge jitted.
                _ = LargeStack.RunAsync(WarmUpEdit);
            }

            if (s_trace)
            {
                // Goes to the log beside the socket: how long compiles take here, without the host's share.
                await Console.Error.WriteLineAsync(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"{DateTime.UtcNow:HH:mm:ss.fff} {request.Module}: {System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds:F1} ms, {messageBytes} bytes in, {reply.Refusal ?? (request.ScanOnly ? "scanned" : "compiled")}")).ConfigureAwait(false);
            }

            return reply;
        }
        catch (Exception ex)
        {
            // Whatever went wrong here, the host's own compiler gives the answer.
            return ServerReply.Refused($"the server failed: {ex.GetType().Name}: {ex.Message}");
        }
    }
}
