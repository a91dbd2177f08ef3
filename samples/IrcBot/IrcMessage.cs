namespace IrcBot;

/// <summary>A message (<c>PRIVMSG</c>) the bot received.</summary>
/// <param name="Nick">Who sent it.</param>
/// <param name="Target">Where it was sent: a channel, or the bot's nick.</param>
/// <param name="Text">What it says.</param>
public sealed record IrcMessage(string Nick, string Target, string Text)
{
    /// <summary>Gets a value indicating whether the message was sent to a channel.</summary>
    public bool IsChannel => Target.Length > 0 && Target[0] is '#' or '&' or '+' or '!';

    /// <summary>Gets where a reply goes: the channel, or the sender of a private message.</summary>
    public string ReplyTo => IsChannel ? Target : Nick;
}
