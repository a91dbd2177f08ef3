using System.Text.Json.Nodes;

namespace Molt.Control;

/// <summary>One request on the control channel: <c>{"id": …, "command": "…", …arguments}</c>.</summary>
public sealed class ControlRequest
{
    /// <summary>Initialises a request.</summary>
    /// <param name="command">The command, usually one of <see cref="ControlCommands"/>.</param>
    /// <param name="arguments">The request's other members; <see langword="null"/> for none.</param>
    /// <param name="id">An optional id that the reply echoes.</param>
    /// <exception cref="ArgumentException"><paramref name="command"/> is empty, or <paramref name="arguments"/> uses a reserved member name.</exception>
    public ControlRequest(string command, JsonObject? arguments = null, JsonNode? id = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        arguments ??= [];
        foreach (var name in ReservedMembers)
        {
            if (arguments.ContainsKey(name))
            {
                throw new ArgumentException($"The member '{name}' is reserved and cannot be an argument.", nameof(arguments));
            }
        }

        Command = command;
        Arguments = arguments;
        Id = id;
    }

    /// <summary>Gets the command.</summary>
    public string Command { get; }

    /// <summary>
    /// Gets the request's members other than <c>id</c>, <c>command</c> and <c>token</c> (the TCP
    /// token is checked by the server and never reaches a handler).
    /// </summary>
    public JsonObject Arguments { get; }

    /// <summary>Gets the request's id, or <see langword="null"/> when it has none.</summary>
    public JsonNode? Id { get; }

    internal static readonly string[] ReservedMembers = ["id", "command", "token"];
}
