namespace IrcBot;

/// <summary>One line from the server, split as RFC 1459 says: <c>[:prefix] COMMAND params [:trailing]</c>.</summary>
/// <param name="Raw">The line as received.</param>
/// <param name="Prefix">Who it is from (<c>nick!user@host</c> or a server name), or <see langword="null"/>.</param>
/// <param name="Command">The command or numeric, upper case (<c>PRIVMSG</c>, <c>PING</c>, <c>001</c>).</param>
/// <param name="Parameters">The parameters, the trailing one last.</param>
public sealed record IrcLine(string Raw, string? Prefix, string Command, IReadOnlyList<string> Parameters)
{
    /// <summary>Gets the sender's nick (the prefix up to <c>!</c>), or <see langword="null"/>.</summary>
    public string? Nick => Prefix is null ? null : Prefix.IndexOf('!', StringComparison.Ordinal) is var bang and >= 0 ? Prefix[..bang] : Prefix;

    /// <summary>Gets the last parameter, or an empty string.</summary>
    public string Trailing => Parameters.Count > 0 ? Parameters[^1] : string.Empty;

    /// <summary>Splits a line. Message tags (IRCv3 <c>@…</c>) are skipped.</summary>
    /// <param name="raw">The line, without CR LF.</param>
    /// <returns>The parsed line; a line without a command has an empty <see cref="Command"/>.</returns>
    public static IrcLine Parse(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var rest = raw.AsSpan();
        if (rest.StartsWith("@"))
        {
            rest = Next(rest, out _);
        }

        string? prefix = null;
        if (rest.StartsWith(":"))
        {
            rest = Next(rest[1..], out var word);
            prefix = word;
        }

        rest = Next(rest, out var command);
        var parameters = new List<string>();
        while (!rest.IsEmpty)
        {
            if (rest[0] == ':')
            {
                parameters.Add(rest[1..].ToString());
                break;
            }

            rest = Next(rest, out var parameter);
            parameters.Add(parameter);
        }

        return new IrcLine(raw, prefix, command.ToUpperInvariant(), parameters);
    }

    private static ReadOnlySpan<char> Next(ReadOnlySpan<char> text, out string word)
    {
        var space = text.IndexOf(' ');
        word = (space < 0 ? text : text[..space]).ToString();
        return space < 0 ? [] : text[(space + 1)..].TrimStart(' ');
    }
}
