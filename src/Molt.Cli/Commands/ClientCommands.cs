using System.CommandLine;
using Molt.Cli.Output;
using Molt.Control;
using Spectre.Console;

namespace Molt.Cli.Commands;

/// <summary>The commands that talk to a running process: reload, status, verify, snapshot, stop, restart.</summary>
internal static class ClientCommands
{
    public static Command Reload(CliOutput output)
    {
        var command = new Command("reload", "Ask a running molt process to reload, wait, and print the result (exit 0 on success, 1 when the reload failed, 2 when no process could be reached).");
        var target = new ControlTarget(ControlCommands.Reload);
        target.AddTo(command);
        command.SetAction((parse, ct) => target.SendAsync(parse, output, ControlJson.ReloadReply, result =>
        {
            if (!parse.GetValue(target.Json))
            {
                new ResultRenderer(output.Console).Reload(result);
            }

            return result.Ok ? ExitCodes.Ok : ExitCodes.Failed;
        }, ct));
        return command;
    }

    public static Command Status(CliOutput output)
    {
        var command = new Command("status", "Print a running molt process's modules, generations, last reload and retired generations.");
        var target = new ControlTarget(ControlCommands.Status);
        target.AddTo(command);
        command.SetAction((parse, ct) => target.SendAsync(parse, output, ControlJson.StatusReply, result =>
        {
            if (!parse.GetValue(target.Json))
            {
                new ResultRenderer(output.Console).Status(result);
            }

            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    public static Command Verify(CliOutput output)
    {
        var command = new Command("verify", "Wait for the unload verifier and list retired generations still in memory (exit 1 when one leaked).");
        var target = new ControlTarget(ControlCommands.Verify);
        target.AddTo(command);
        command.SetAction((parse, ct) => target.SendAsync(parse, output, ControlJson.VerifyReply, result =>
        {
            if (!parse.GetValue(target.Json))
            {
                output.Console.WriteLine(result.Ok ? $"ok: {result.RetiredAlive.Count} retired generation(s) still pending collection, none leaked" : "leaked:");
                foreach (var retired in result.RetiredAlive)
                {
                    output.Console.WriteLine($"  {retired.Module}#{retired.Generation} {retired.Status}");
                }
            }

            return result.Ok ? ExitCodes.Ok : ExitCodes.Failed;
        }, ct));
        return command;
    }

    public static Command Snapshot(CliOutput output)
    {
        var command = new Command("snapshot", "Ask a running molt process to write its persistent-state snapshot now (it needs molt run --snapshot <file>).");
        var target = new ControlTarget(ControlCommands.Snapshot);
        target.AddTo(command);
        command.SetAction((parse, ct) => target.SendAsync(parse, output, ControlJson.SnapshotReply, result =>
        {
            if (!parse.GetValue(target.Json))
            {
                output.Console.WriteLine($"wrote {result.Written} value(s) to {result.Path}");
            }

            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    public static Command Stop(CliOutput output)
    {
        var command = new Command("stop", "Ask a running molt process to stop gracefully (unload hooks run).");
        var target = new ControlTarget(ControlCommands.Stop);
        target.AddTo(command);
        command.SetAction((parse, ct) => target.SendAsync(parse, output, ControlJson.StopReply, _ =>
        {
            if (!parse.GetValue(target.Json))
            {
                output.Console.WriteLine("stopping");
            }

            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    public static Command Restart(CliOutput output)
    {
        var command = new Command("restart", "Hot-restart a running host: start a new process of it, hand over its listening sockets and state, and let the old one finish (exit 1 when the new process failed; the old one goes on serving).");
        var target = new ControlTarget(ControlCommands.Restart);
        target.AddTo(command);
        command.SetAction((parse, ct) => target.SendAsync(parse, output, ControlJson.RestartReply, result =>
        {
            if (!parse.GetValue(target.Json))
            {
                output.Console.WriteLine(result.Ok
                    ? $"restarted: process {result.NewPid} serves{Listeners([.. result.Listeners, .. result.Connections.Select(c => c + " (connection)")])} after {result.DurationMs:0} ms; process {result.Pid} drains and exits"
                    : $"restart failed after {result.DurationMs:0} ms: {result.Error}; process {result.Pid} goes on serving");
            }

            return result.Ok ? ExitCodes.Ok : ExitCodes.Failed;
        }, ct));
        return command;
    }

    /// <summary>The listeners handed over, if any: <c>molt run</c> has none (a per-process control socket is not passed on).</summary>
    private static string Listeners(IReadOnlyList<string> names) => names.Count == 0 ? "" : $" ({string.Join(", ", names)})";
}
