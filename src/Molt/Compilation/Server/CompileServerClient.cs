using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Molt.Interop;
using Molt.Modules;

namespace Molt.Compilation.Server;

/// <summary>One module compile to hand to the server: the references are paths, as the in-process compile would use them.</summary>
internal sealed record RemoteCompile(ModuleSource Source, string AssemblyName, string[] ReferencePaths, IReadOnlyList<CompiledModule> Dependencies, bool HasDependents);

/// <summary>
/// The engine's side of the compile server: sends a module compile over the server's socket and
/// takes the image and diagnostics back, starting the server when none listens. Every failure
/// (no server program, a server that crashed, hung past <see cref="MoltOptions.CompileServerTimeout"/>,
/// answered garbage or runs as another user) makes the compile happen in-process instead, so the
/// server can make a reload faster but never fail it. A server that hung, spoke garbage or was
/// refused is not asked again by this engine; one that went away is started again (up to a few times).
/// </summary>
internal sealed class CompileServerClient
{
    private const int MaxRestarts = 3;
    private static readonly TimeSpan RestartInterval = TimeSpan.FromSeconds(5);

    private readonly ServerLocation _location;
    private readonly MoltOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly uint _uid = UnixInterop.EffectiveUserId;

    // The host's reference list is one array for the engine's life: its files are looked at once,
    // as the in-process compiler reads each reference's metadata once.
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<string[], ReferenceStamp[]> _stamps = [];
    private long _lastStart = long.MinValue;
    private int _starts;
    private string? _disabled;
    private int _answered;
    private int _fellBack;
    private int _scanned;

    public CompileServerClient(ServerLocation location, MoltOptions options, ILogger logger)
    {
        (_location, _options, _logger) = (location, options, logger);
    }

    /// <summary>Gets how many compiles the server answered (for tests and benchmarks).</summary>
    public int Answered => Volatile.Read(ref _answered);

    /// <summary>Gets how many modules' facts the server read (so this process did not parse them).</summary>
    public int Scanned => Volatile.Read(ref _scanned);

    /// <summary>Gets how many requests (compiles and scans) fell back to the in-process compiler.</summary>
    public int FellBack => Volatile.Read(ref _fellBack);

    /// <summary>Gets why the last compile that fell back did, or <see langword="null"/>.</summary>
    public string? LastFallback { get; private set; }

    /// <summary>Gets why the server is no longer asked, or <see langword="null"/>.</summary>
    public string? Disabled => Volatile.Read(ref _disabled);

    public ServerLocation Location => _location;

    /// <summary>A client when <paramref name="options"/> ask for a server and one can run here; otherwise <see langword="null"/>.</summary>
    public static CompileServerClient? For(MoltOptions options, ILogger logger)
    {
        if (options.CompileServer == CompileServerMode.Off || !OperatingSystem.IsLinux())
        {
            return null;
        }

        if (ServerLocation.Find(options) is not { } location)
        {
            Log.CompileServerMissing(logger, ServerLocation.FileName);
            return null;
        }

        return new CompileServerClient(location, options, logger);
    }

    /// <summary>
    /// Compiles through the server. Returns <see langword="true"/> when the server answered: then
    /// <paramref name="compiled"/> is the image, or <see langword="null"/> when the module has errors,
    /// and its diagnostics were added. Returns <see langword="false"/> when the compile must happen in-process.
    /// </summary>
    public bool TryCompile(RemoteCompile compile, List<ModuleDiagnostic> diagnostics, out CompiledModule? compiled)
    {
        compiled = null;
        if (Ask(Request(compile), scan: false) is not { } reply)
        {
            Interlocked.Increment(ref _fellBack);
            return false;
        }

        diagnostics.AddRange(reply.Diagnostics);
        compiled = reply.Success ? new CompiledModule(compile.AssemblyName, reply.Image!, reply.Pdb, null) { ApiHash = reply.ApiHash, DeltaBase = reply.DeltaBase, DeltaRefused = reply.DeltaRefused } : null;
        Interlocked.Increment(ref _answered);
        return true;
    }

    /// <summary>
    /// Reads a module's facts through the server (it parses, so this process does not). Returns
    /// <see langword="true"/> when the server answered: then <paramref name="facts"/> are the facts,
    /// or <see langword="null"/> when the sources cannot be parsed, and those diagnostics were added.
    /// Returns <see langword="false"/> when the module must be parsed in-process.
    /// </summary>
    public bool TryScan(ModuleSource source, List<ModuleDiagnostic> diagnostics, out ModuleFacts? facts)
    {
        facts = null;
        var request = new ServerRequest(source.Name, source.Path, ModuleCompiler.AssemblyNameOf(source.Name), Settings, HasDependents: false)
        {
            Files = [.. source.Files.Select(f => (f.Path, f.Content))],
            References = [],
            DependencyImages = [],
            HeartbeatInterval = HeartbeatInterval,
            ScanOnly = true,
        };
        if (Ask(request, scan: true) is not { } reply)
        {
            Interlocked.Increment(ref _fellBack);
            return false;
        }

        diagnostics.AddRange(reply.Diagnostics);
        facts = reply.Success ? reply.Facts : null;
        Interlocked.Increment(ref _scanned);
        return true;
    }

    /// <summary>The server's reply, or <see langword="null"/> (logged, in <see cref="LastFallback"/>) when the work must happen in-process.</summary>
    private ServerReply? Ask(ServerRequest request, bool scan)
    {
        ServerReply reply;
        try
        {
            reply = Disabled is null
                ? RoundTrip(CompileMessages.Encode(request), request.Module, scan)
                : ServerReply.Refused(Disabled!);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            // Gone (crashed, killed, stopping): the next request starts another.
            reply = ServerReply.Refused($"the server went away ({ex.Message})");
        }
        catch (Exception ex) when (ex is TimeoutException or CompileProtocolException or UnauthorizedAccessException or InvalidOperationException)
        {
            var reason = ex is TimeoutException ? $"no answer within {_options.CompileServerTimeout.TotalSeconds:F1} s" : ex.Message;
            if (Interlocked.CompareExchange(ref _disabled, reason, null) is null)
            {
                Log.CompileServerDisabled(_logger, reason);
            }

            reply = ServerReply.Refused(reason);
        }

        if (reply.Refusal is { } refusal)
        {
            LastFallback = refusal;
            Log.CompileServerFellBack(_logger, request.Module, refusal);
            return null;
        }

        return reply;
    }

    /// <summary>Connects once (starting the server if none listens), so the first compile finds it ready.</summary>
    public void Prepare()
    {
        try
        {
            using var socket = Connect(Environment.TickCount64 + (long)_options.CompileServerTimeout.TotalMilliseconds);
        }
        catch (Exception ex) when (ex is IOException or SocketException or TimeoutException or UnauthorizedAccessException or InvalidOperationException)
        {
            // The first compile finds out again and falls back; nothing depends on this.
            Log.CompileServerFellBack(_logger, "(warm-up)", ex.Message);
        }
    }

    private int TimeoutMilliseconds => (int)Math.Clamp(_options.CompileServerTimeout.TotalMilliseconds, 1, int.MaxValue);

    private CompileSettings Settings => new(_options.OptimizationLevel, _options.ImplicitUsings, _options.AllowProcessExit, _options.PartialCompiles);

    // Several beats per timeout, so one late beat on a loaded machine is not taken for a hang.
    private TimeSpan HeartbeatInterval => TimeSpan.FromTicks(Math.Clamp(_options.CompileServerTimeout.Ticks / 4, TimeSpan.TicksPerMillisecond * 20, TimeSpan.TicksPerSecond * 2));

    private ServerRequest Request(RemoteCompile compile) =>
        new(compile.Source.Name, compile.Source.Path, compile.AssemblyName, Settings, compile.HasDependents)
        {
            Files = [.. compile.Source.Files.Select(f => (f.Path, f.Content))],
            References = _stamps.GetValue(compile.ReferencePaths, paths => [.. paths.Select(ReferenceStamp.Of)]),
            DependencyImages = [.. compile.Dependencies.Select(d => d.Image)],
            HeartbeatInterval = HeartbeatInterval,
        };

    /// <summary>
    /// Sends the request and waits for the reply, on the calling thread (the compile is synchronous
    /// anyway, and a thread pool starved by the host's own work must not make a working server look
    /// hung). The timeout bounds starting and reaching the server, and then each silence: a server
    /// that keeps sending heartbeats (it sends them only while it uses CPU) is compiling and is
    /// waited for as long as the compile takes, as the in-process compile would be; one that stops
    /// answering (hung, stopped, deadlocked) is given up.
    /// </summary>
    /// <exception cref="TimeoutException">The server could not be reached, or fell silent, for the timeout.</exception>
    private ServerReply RoundTrip(byte[] request, string module, bool scan)
    {
        using var socket = Connect(Environment.TickCount64 + (long)_options.CompileServerTimeout.TotalMilliseconds);
        socket.ReceiveTimeout = TimeoutMilliseconds;
        using var stream = new NetworkStream(socket, ownsSocket: false);
        try
        {
            Frames.Write(stream, request);
            while (true)
            {
                var message = Frames.Read(stream);
                if (!CompileMessages.IsHeartbeat(message))
                {
                    return CompileMessages.DecodeReply(message, module, scan);
                }
            }
        }
        catch (IOException ex) when (ex.InnerException is SocketException { SocketErrorCode: SocketError.TimedOut or SocketError.WouldBlock })
        {
            throw new TimeoutException("silent", ex);
        }
    }

    /// <summary>Connects to the server and checks it runs as this user; starts it when nothing listens, then retries until the deadline.</summary>
    private Socket Connect(long deadline)
    {
        ServerTrust.EnsureDirectory(Path.GetDirectoryName(_location.SocketPath)!, _uid);
        while (true)
        {
            // Bounds the connect too: a server that stopped accepting, with its backlog full, blocks it.
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified) { SendTimeout = TimeoutMilliseconds };
            try
            {
                socket.Connect(new UnixDomainSocketEndPoint(_location.SocketPath));
                ServerTrust.CheckPeer(UnixInterop.PeerUserId(socket), _uid);
                return socket;
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionRefused or SocketError.AddressNotAvailable or SocketError.AddressFamilyNotSupported)
            {
                // No listener (no socket file, or a stale one): start one, then try again shortly.
                socket.Dispose();
                StartServerOnce();
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
            {
                socket.Dispose();
                throw new TimeoutException("not accepting", ex);
            }
            catch
            {
                socket.Dispose();
                throw;
            }

            if (Environment.TickCount64 >= deadline)
            {
                throw new TimeoutException("not listening");
            }

            Thread.Sleep(10);
        }
    }

    /// <summary>Starts the server unless this engine started one moments ago (concurrent compiles share one start).</summary>
    private void StartServerOnce()
    {
        lock (_gate)
        {
            var now = Environment.TickCount64;
            if (_lastStart != long.MinValue && now - _lastStart < RestartInterval.TotalMilliseconds)
            {
                return;
            }

            if (++_starts > MaxRestarts)
            {
                throw new InvalidOperationException($"the compile server was started {MaxRestarts} times and is not listening");
            }

            _lastStart = now;
            ServerLauncher.Start(_location, _options.CompileServerIdleTimeout);
            Log.CompileServerStarted(_logger, _location.Program, _location.SocketPath);
        }
    }
}
