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
/// <c>SIGTERM</c>, reloading on saves, signals and <c>molt reload</c>; <c>molt restart</c> and
/// <c>SIGUSR2</c> hot-restart it.
/// </summary>
internal static class RunCommand
{
    /// <summary>The start of the line printed once the process serves: tests and scripts wait for it.</summary>
    public const string ReadyPrefix = "molt: ready";

    public static Command Create(CliOutput output)
    {
        var options = new RunOptions();
        var command = new Command("run", "Host a module directory or a single module: load, watch, reload, serve the control socket; print one line per reload. Runs until SIGINT or SIGTERM.");
        options.AddTo(command);
        command.SetAction((parse, ct) => RunAsync(parse, options, output, ct));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, RunOptions options, CliOutput output, CancellationToken cancellationToken)
    {
        TcpTarget? tcp;
        try
        {
            tcp = options.ReadTcp(parse);
        }
        catch (UsageException ex)
        {
            return CannotStart(output, ex.Message);
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = Environment.CurrentDirectory });
        ConfigureLogging(builder.Logging, parse.GetValue(options.Verbose));
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        builder.Services.AddMolt(o => options.Apply(parse, tcp, o));
        // Always on: a new molt run (a new Molt, a new runtime) takes the state and a --socket path over.
        builder.Services.AddMoltHotRestart();

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
            return CannotStart(output, ex.Message);
        }

        try
        {
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (MoltReloadException ex)
        {
            printer.StartFailed(ex.Result);
            return CannotStart(output, "the modules could not be loaded");
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or System.Net.Sockets.SocketException or UnauthorizedAccessException or NotSupportedException)
        {
            return CannotStart(output, ex.Message);
        }

        var modules = host.Services.GetRequiredService<MoltEngine>().Manifest.Modules.Count;
        output.Console.MarkupLine(Markup.Escape(ReadyLine(status, modules)));
        output.Out.Flush();

        // SIGINT and SIGTERM stop the host through its console lifetime; the engine retires every generation.
        await host.WaitForShutdownAsync(CancellationToken.None).ConfigureAwait(false);
        output.Console.WriteLine("molt: stopped");
        output.Out.Flush();
        return ExitCodes.Ok;
    }

    private static string ReadyLine(MoltHostStatus status, int modules)
    {
        var tcp = status.ControlTcpEndPoint is { } endPoint ? $", tcp {endPoint}" : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"{ReadyPrefix}: pid {Environment.ProcessId}, {modules} module(s), socket {status.ControlSocketPath ?? "(none)"}{tcp}, watching {(status.IsWatching ? "on" : "off")}, polling {(status.IsPolling ? "on" : "off")}");
    }

    private static int CannotStart(CliOutput output, string reason)
    {
        output.Error.WriteLine($"molt: cannot start: {reason}");
        return ExitCodes.Failed;
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
