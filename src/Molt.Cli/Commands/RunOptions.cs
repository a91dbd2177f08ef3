using System.CommandLine;
using System.Net;
using Molt.Hosting;

namespace Molt.Cli.Commands;

/// <summary>The arguments and options of <c>molt run</c>, and how they become <see cref="MoltHostingOptions"/>.</summary>
internal sealed class RunOptions
{
    public Argument<string> Path { get; } = new("path") { Description = "A module directory (each .cs file, folder and .dll in it is a module), or one module (.cs file or .dll)." };

    public Option<bool> NoWatch { get; } = new("--no-watch") { Description = "Do not watch the files; reload only on SIGUSR1, SIGHUP, polling or molt reload." };

    public Option<int?> Poll { get; } = new("--poll") { Description = "Poll the files every this many milliseconds (racket-reloadable uses 500)." };

    public Option<bool> NoPoll { get; } = new("--no-poll") { Description = "Never poll, not even when the watcher cannot start." };

    public Option<int?> Retry { get; } = new("--retry") { Description = "Retry a failed reload after this many milliseconds even if no file changed." };

    public Option<int?> Settle { get; } = new("--settle") { Description = "Milliseconds to wait after the last file event of a burst (default 5)." };

    public Option<string?> Socket { get; } = new("--socket") { Description = "The control socket's path (default: $XDG_RUNTIME_DIR/molt/<pid>.sock)." };

    public Option<bool> NoControl { get; } = new("--no-control") { Description = "Do not serve the control socket." };

    public Option<string?> Snapshot { get; } = new("--snapshot") { Description = "The persistent-state snapshot file: restored at start, written at a graceful stop and by molt snapshot." };

    public Option<string[]> References { get; } = new("--reference", "-r") { Description = "An extra assembly the modules compile against (repeatable)." };

    public Option<bool> Verbose { get; } = new("--verbose", "-v") { Description = "Log the engine's and the host's messages on standard error." };

    public Option<string?> Cache { get; } = new("--cache") { Description = "Where compiled modules are kept between runs (default: $XDG_CACHE_HOME/molt/compiled, or ~/.cache/molt/compiled)." };

    public Option<bool> NoCache { get; } = new("--no-cache") { Description = "Compile every module at start; keep nothing between runs." };

    public Option<CompileServerMode> CompileServer { get; } = new("--compile-server")
    {
        HelpName = "auto|off",
        Description = "auto: compile modules in the user's compile server (shipped with molt, started on first need, kept warm across runs, stopped after 10 idle minutes; whatever fails, the compile runs in-process). off: always compile in-process. Linux only.",
        DefaultValueFactory = _ => CompileServerMode.Auto,
    };

    public TcpOptions Tcp { get; } = new(listening: true);

    public void AddTo(Command command)
    {
        command.Arguments.Add(Path);
        foreach (var option in new Option[] { NoWatch, Poll, NoPoll, Retry, Settle, Socket, NoControl, Snapshot, References, Verbose, Cache, NoCache, CompileServer })
        {
            command.Options.Add(option);
        }

        Tcp.AddTo(command);
    }

    /// <summary>Reads <c>--tcp</c> and <c>--token-file</c>; <see langword="null"/> when TCP is off.</summary>
    /// <exception cref="UsageException">They cannot be used as given.</exception>
    public TcpTarget? ReadTcp(ParseResult parse)
    {
        var tcp = Tcp.Read(parse);
        if (tcp is not null && parse.GetValue(NoControl))
        {
            throw new UsageException("--tcp serves the control channel, which --no-control turns off");
        }

        return tcp;
    }

    /// <summary>Sets the hosting options from the command line and the TCP endpoint read by <see cref="ReadTcp"/>.</summary>
    public void Apply(ParseResult parse, TcpTarget? tcp, MoltHostingOptions o)
    {
        ModuleArguments.Apply(o.Engine, parse.GetValue(Path)!, parse.GetValue(References) ?? []);
        o.WatchFiles = !parse.GetValue(NoWatch);
        if (parse.GetValue(Poll) is { } interval)
        {
            o.Polling = PollingMode.Always;
            o.PollingInterval = TimeSpan.FromMilliseconds(interval);
        }

        if (parse.GetValue(NoPoll))
        {
            o.Polling = PollingMode.Off;
        }

        if (parse.GetValue(Retry) is { } delay)
        {
            o.RetryDelay = TimeSpan.FromMilliseconds(delay);
        }

        if (parse.GetValue(Settle) is { } window)
        {
            o.SettleWindow = TimeSpan.FromMilliseconds(window);
        }

        if (parse.GetValue(Snapshot) is { } file)
        {
            // Restored at start, written at a graceful stop and on `molt snapshot`.
            o.Engine.StateSnapshotPath = System.IO.Path.GetFullPath(file);
        }

        o.UseCompilationCache = !parse.GetValue(NoCache);
        if (o.UseCompilationCache)
        {
            // A restart on unchanged sources loads what the last run compiled: Roslyn is not run at all.
            o.Engine.CompilationCachePath = System.IO.Path.GetFullPath(parse.GetValue(Cache) ?? MoltOptions.DefaultCompilationCachePath);
        }

        // Unlike a library host's, molt's default is Auto: the tool ships the server beside itself.
        o.Engine.CompileServer = parse.GetValue(CompileServer);

        o.EnableControlChannel = !parse.GetValue(NoControl);
        if (parse.GetValue(Socket) is { } socketPath)
        {
            o.Control.SocketPath = System.IO.Path.GetFullPath(socketPath);
        }

        if (tcp is not null)
        {
            o.Control.EnableTcp = true;
            o.Control.TcpAddress = tcp.EndPoint.Address;
            o.Control.TcpPort = tcp.EndPoint.Port;
            o.Control.TcpToken = tcp.Token;

            // Only loopback unless an address was given: naming another one is the choice to expose the port.
            o.Control.AllowNonLoopbackTcp = !IPAddress.IsLoopback(tcp.EndPoint.Address);
        }
    }
}
