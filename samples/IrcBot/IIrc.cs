namespace IrcBot;

/// <summary>What plugins may do with the connection, resolved from <c>context.Services</c>. Safe to call from any thread.</summary>
public interface IIrc
{
    /// <summary>Gets the bot's nick on the server (the configured one, or what the server accepted instead).</summary>
    string Nick { get; }

    /// <summary>Gets the channels the bot is configured to be in.</summary>
    IReadOnlyList<string> Channels { get; }

    /// <summary>Gets the nick allowed to run admin commands.</summary>
    string Admin { get; }

    /// <summary>Gets when the process started.</summary>
    DateTimeOffset StartedAt { get; }

    /// <summary>Gets when the server accepted the current connection, or <see langword="null"/> before that.</summary>
    DateTimeOffset? ConnectedAt { get; }

    /// <summary>Gets the number of the current connection: 1 for the first, one more for each new one.</summary>
    int ConnectionId { get; }

    /// <summary>Sends a raw line (without CR LF; line breaks are removed, the line is cut at 510 bytes). Dropped when not connected.</summary>
    /// <param name="line">The line, for example <c>JOIN #molt</c>.</param>
    void Send(string line);

    /// <summary>Sends a message to a channel or a nick.</summary>
    /// <param name="target">The channel or nick.</param>
    /// <param name="text">The text.</param>
    void Privmsg(string target, string text);
}
