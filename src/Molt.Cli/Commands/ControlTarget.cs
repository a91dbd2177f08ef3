using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Molt.Cli.Output;
using Molt.Control;

namespace Molt.Cli.Commands;

/// <summary>
/// The options that pick the process a client command talks to (<c>--pid</c>, <c>--socket</c>, or
/// the one running Molt process of the user), and the request/reply round trip with its exit codes.
/// </summary>
internal sealed class ControlTarget
{
    public Option<int?> Pid { get; } = new("--pid") { Description = "The process to talk to (its socket in the default directory)." };

    public Option<string?> Socket { get; } = new("--socket") { Description = "The control socket to talk to." };

    public Option<double> Timeout { get; } = new("--timeout")
    {
        Description = "Seconds to wait for the reply.",
        DefaultValueFactory = _ => 60,
    };

    public Option<bool> Json { get; } = new("--json") { Description = "Print one JSON document on standard output." };

    public void AddTo(Command command)
    {
        command.Options.Add(Pid);
        command.Options.Add(Socket);
        command.Options.Add(Timeout);
        command.Options.Add(Json);
    }

    /// <summary>Sends <paramref name="command"/> and hands the successful reply's result to <paramref name="onResult"/>.</summary>
    /// <returns>The exit code: <paramref name="onResult"/>'s, 1 for an error reply, 2 when no process could be reached.</returns>
    public async Task<int> SendAsync(ParseResult parse, CliOutput output, string command, Func<JsonObject, int> onResult, CancellationToken cancellationToken)
    {
        var json = parse.GetValue(Json);
        ControlReply reply;
        try
        {
            var socket = await ResolveAsync(parse, cancellationToken).ConfigureAwait(false);
            var client = new ControlClient(new ControlClientOptions { SocketPath = socket, Timeout = TimeSpan.FromSeconds(parse.GetValue(Timeout)) });
            reply = await client.SendAsync(new ControlRequest(command), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ControlException or InvalidOperationException or ArgumentException)
        {
            return Fail(output, json, "unreachable", ex.Message, ExitCodes.Unreachable);
        }

        if (!reply.Ok)
        {
            return Fail(output, json, reply.Error!.Code, reply.Error.Message, ExitCodes.Failed);
        }

        var result = reply.Result as JsonObject ?? [];
        if (json)
        {
            output.WriteJson(result);
        }

        return onResult(result);
    }

    private async Task<string> ResolveAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        if (parse.GetValue(Socket) is { } socket)
        {
            return Path.GetFullPath(socket);
        }

        if (parse.GetValue(Pid) is { } pid)
        {
            return ControlSocketPaths.GetDefaultSocketPath(pid);
        }

        return (await ControlSocketDiscovery.FindSingleAsync(cancellationToken).ConfigureAwait(false)).SocketPath;
    }

    private static int Fail(CliOutput output, bool json, string code, string message, int exitCode)
    {
        if (json)
        {
            output.WriteJson(new JsonObject
            {
                ["ok"] = false,
                ["error"] = new JsonObject { ["code"] = code, ["message"] = message },
                ["exitCode"] = exitCode,
            });
        }
        else
        {
            output.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"molt: {message} ({code})"));
        }

        return exitCode;
    }
}
