using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Molt.Cli.Output;
using Molt.Hosting;
using Spectre.Console;

namespace Molt.Cli.Commands;

/// <summary>
/// <c>molt run &lt;path&gt;</c>: hosts the modules in a Generic Host until <c>SIGINT</c> or
/// <c>SIGTERM</c>, reloading on saves, signals and <c>molt reload</c>.
/// </summary>
internal static class RunCommand
{
    /// <summary>The start of the line printed once the process serves: tests and scripts wait for it.</summary>
    public const string ReadyPrefix = "molt: ready";

    public static Command Create(CliOutput output)
    {
        var path = new Argument<string>("path") { Description = "A module directory (each .cs file, folder and .dll in it is a module), or one module (.cs file or .dll)." };
        var noWatch = new Option<bool>("--no-watch") { Description = "Do not watch the files; reload only on SIGUSR1, SIGHUP, polling or molt reload." };
        var poll = new Option<int?>("--poll") { Description = "Poll the files every this many milliseconds (racket-reloadable uses 500)." };
        var noPoll = new Option<bool>("--no-poll") { Description = "Never poll, not even when the watcher cannot start." };
        var retry = new Option<int?>("--retry") { Description = "Retry a failed reload after this many milliseconds even if no file changed." };
        var settle = new Option<int?>("--settle") { Description = "Milliseconds to wait after the last file event of a burst (default 5)." };
        var socket = new Option<string?>("--socket") { Description = "The control socket's path (default: $XDG_RUNTIME_DIR/molt/<pid>.sock)." };
        var noControl = new Option<bool>("--no-control") { Description = "Do not serve the control socket." };
        var snapshot = new Option<string?>("--snapshot") { Description = "The persistent-state snapshot file: restored at start, written at a graceful stop and by molt snapshot." };
        var references = new Option<string[]>("--reference", "-r") { Description = "An extra assembly the modules compile against (repeatable)." };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Log the engine's and the host's messages on standard error." };
        var cache = new Option<string?>("--cache") { Description = "Where compiled modules are kept between runs (default: $XDG_CACHE_HOME/molt/compiled, or ~/.cache/molt/compiled)." };
        var noCache = new Option<bool>("--no-cache") { Description = "Compile every module at start; keep nothing between runs." };
        var command = new Command("run", "Host a module directory or a single module: load, watch, reload, serve the control socket; print one line per reload. Runs until SIGINT or SIGTERM.")
        {
            path, noWatch, poll, noPoll, retry, settle, socket, noControl, snapshot, references, verbose, cache, noCache,
        };

        command.SetAction(async (parse, ct) =>
        {
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = Environment.CurrentDirectory });
            ConfigureLogging(builder.Logging, parse.GetValue(verbose));
            builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
            builder.Services.AddMolt(o =>
            {
                ModuleArguments.Apply(o.Engine, parse.GetValue(path)!, parse.GetValue(references) ?? []);
                o.WatchFiles = !parse.GetValue(noWatch);
                if (parse.GetValue(poll) is { } interval)
                {
                    o.Polling = PollingMode.Always;
                    o.PollingInterval = TimeSpan.FromMilliseconds(interval);
                }

                if (parse.GetValue(noPoll))
                {
                    o.Polling = PollingMode.Off;
                }

                if (parse.GetValue(retry) is { } delay)
                {
                    o.RetryDelay = TimeSpan.FromMilliseconds(delay);
                }

                if (parse.GetValue(settle) is { } window)
                {
                    o.SettleWindow = TimeSpan.FromMilliseconds(window);
                }

                if (parse.GetValue(snapshot) is { } file)
                {
                    // Restored at start, written at a graceful stop and on `molt snapshot`.
                    o.Engine.StateSnapshotPath = Path.GetFullPath(file);
                }

                if (!parse.GetValue(noCache))
                {
                    // A restart on unchanged sources loads what the last run compiled: Roslyn is not run at all.
                    o.Engine.CompilationCachePath = Path.GetFullPath(parse.GetValue(cache) ?? DefaultCachePath());
                }

                o.EnableControlChannel = !parse.GetValue(noControl);
                if (parse.GetValue(socket) is { } socketPath)
                {
                    o.Control.SocketPath = Path.GetFullPath(socketPath);
                }
            });

            using var host = builder.Build();
            MoltHostStatus status;
            ReloadPrinter printer;
            try
            {
                // Creating the engine validates its options (a cache inside a module directory, …).
                var engine = host.Services.GetRequiredService<MoltEngine>();
                status = host.Services.GetRequiredService<MoltHostStatus>();
                printer = new ReloadPrinter(output, status);
                printer.Attach(engine);
            }
            catch (InvalidOperationException ex)
            {
                output.Error.WriteLine($"molt: cannot start: {ex.Message}");
                return ExitCodes.Failed;
            }

            try
            {
                await host.StartAsync(ct).ConfigureAwait(false);
            }
            catch (MoltReloadException ex)
            {
                printer.StartFailed(ex.Result);
                output.Error.WriteLine("molt: cannot start: the modules could not be loaded");
                return ExitCodes.Failed;
            }
            catch (Exception ex) when (ex is InvalidOperationException or IOException or System.Net.Sockets.SocketException or UnauthorizedAccessException or NotSupportedException)
            {
                output.Error.WriteLine($"molt: cannot start: {ex.Message}");
                return ExitCodes.Failed;
            }

            var modules = host.Services.GetRequiredService<MoltEngine>().Manifest.Modules.Count;
            output.Console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                $"{ReadyPrefix}: pid {Environment.ProcessId}, {modules} module(s), socket {status.ControlSocketPath ?? "(none)"}, watching {(status.IsWatching ? "on" : "off")}, polling {(status.IsPolling ? "on" : "off")}")));
            output.Out.Flush();

            // SIGINT and SIGTERM stop the host through its console lifetime; the engine retires every generation.
            await host.WaitForShutdownAsync(CancellationToken.None).ConfigureAwait(false);
            output.Console.WriteLine("molt: stopped");
            output.Out.Flush();
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The XDG cache directory's molt/compiled, falling back to ~/.cache, then to the temp directory.</summary>
    internal static string DefaultCachePath()
    {
        var root = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg && Path.IsPathFullyQualified(xdg)
            ? xdg
            : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) is { Length: > 0 } home
                ? Path.Combine(home, ".cache")
                : Path.Combine(Path.GetTempPath(), "molt-" + Environment.UserName);
        return Path.Combine(root, "molt", "compiled");
    }

    private static void ConfigureLogging(ILoggingBuilder logging, bool verbose)
    {
        logging.ClearProviders();
        logging.AddSimpleConsole(o => o.SingleLine = true);
        logging.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        logging.SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Warning);

        // The engine's reload messages are what this command prints on standard output already, and
        // a start that fails is one "molt: cannot start" line, not the host's "Hosting failed to
        // start" error with its stack trace.
        if (!verbose)
        {
            logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
            logging.AddFilter("Molt", LogLevel.None);
            logging.AddFilter("Molt.Hosting", LogLevel.Warning);
            logging.AddFilter("Molt.Control", LogLevel.Warning);
        }
    }
}
