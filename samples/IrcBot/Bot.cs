using Molt;

namespace IrcBot;

/// <summary>
/// The hooks plugins attach to (BaseT's built-in hooks). The permanent part invokes them from its
/// line loop, one line at a time; plugins attach with <c>context.Attach(Bot.Message, ...)</c>, and
/// the engine swaps a plugin's handlers at once when it reloads.
/// </summary>
public static class Bot
{
    /// <summary>Runs once the server has accepted the bot (numeric 001), once per connection.</summary>
    public static readonly Hook<Action> Connected = new("connected");

    /// <summary>Runs for every line the server sends, before any other hook.</summary>
    public static readonly Hook<Action<IrcLine>> LineReceived = new("line");

    /// <summary>Runs for every message (<c>PRIVMSG</c>) to a channel the bot is in, or to the bot itself.</summary>
    public static readonly Hook<Action<IrcMessage>> Message = new("message");
}
