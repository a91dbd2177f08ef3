using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Molt.Cli.Output;
using Molt.Control;

namespace Molt.Cli.Commands;

/// <summary>
/// The options that pick the process a client command talks to (<c>--pid</c>, <c>--socket</c>,
/// <c>--tcp</c> with <c>--token-file</c>, or the one running Molt process of the user), and the
/// request/reply round trip with its exit codes.
/// </summary>
/// <param name="command">The command the target is sent, one of <see cref="ControlCommands"/>.</param>
internal sealed class ControlTarget(string command)
{
    public Option<int?> Pid { get; } = new("--pid") { Description = "The process to talk to (its socket in the default directory)." };

    public Option<string?> Socket { get; } = new("--socket") { Description = "The control socket to talk to." };

    public Option<double> Timeout { get; } = new("--timeout")
    {
        Description = "Seconds to wait for the reply.",
        DefaultValueFactory = _ => 60,
    };

    public Option<bool> Json { get; } = new("--json") { Description = "Print one JSON document on standard output." };

    public TcpOptions Tcp { get; } = new(listening: false);

    public void AddTo(Command command)
    {
        command.Options.Add(Pid);
        command.Options.Add(Socket);
        command.Options.Add(Timeout);
        command.Options.Add(Json);
        Tcp.AddTo(command);
    }

    /// <summary>Sends the command and hands the successful reply's result, read as <typeparamref name="T"/>, to <paramref name="onResult"/>.</summary>
    /// <returns>The exit code: <paramref name="onResult"/>'s, 1 for an error reply, 2 when no process could be reached or its reply is malformed.</returns>
    public async Task<int> SendAsync<T>(ParseResult parse, CliOutput output, JsonTypeInfo<T> resultType, Func<T, int> onResult, CancellationToken cancellationToken)
    {
        var json = parse.GetValue(Json);
        ControlReply reply;
        T result;
        try
        {
            var options = await ResolveAsync(parse, cancellationToken).ConfigureAwait(false);
            options.Timeout = TimeSpan.FromSeconds(parse.GetValue(Timeout));
            reply = await new ControlClient(options).SendAsync(new ControlRequest(command), cancellationToken).ConfigureAwait(false);
            if (!reply.Ok)
            {
                return Fail(output, json, reply.Error!.Code, reply.Error.Message, ExitCodes.Failed);
            }

            result = reply.ReadResult(resultType);
        }
        catch (UsageException ex)
        {
            return Fail(output, json, "invalid_option", ex.Message, ExitCodes.Unreachable);
        }
        catch (ControlRefusedException ex)
        {
            return Fail(output, json, ex.Code, ex.Message, ExitCodes.Unreachable);
        }
        catch (Exception ex) when (ex is ControlException or InvalidOperationException or ArgumentException)
        {
            return Fail(output, json, "unreachable", ex.Message, ExitCodes.Unreachable);
        }

        if (json)
        {
            // What the process sent, members this version does not know included.
            output.WriteJson(reply.Result!);
        }

        return onResult(result);
    }

    private async Task<ControlClientOptions> ResolveAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var socket = parse.GetValue(Socket);
        var pid = parse.GetValue(Pid);
        if (Tcp.Read(parse) is { } tcp)
        {
            return socket is null && pid is null
                ? new ControlClientOptions { TcpEndPoint = tcp.EndPoint, Token = tcp.Token }
                : throw new UsageException("--tcp names the process already; leave out --socket and --pid");
        }

        if (socket is not null)
        {
            return new ControlClientOptions { SocketPath = Path.GetFullPath(socket) };
        }

        if (pid is not null)
        {
            return new ControlClientOptions { SocketPath = ControlSocketPaths.GetDefaultSocketPath(pid.Value) };
        }

        var found = await ControlSocketDiscovery.FindSingleAsync(cancellationToken).ConfigureAwait(false);
        return new ControlClientOptions { SocketPath = found.SocketPath };
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
