// The bot's ! commands. Edit and save while the bot runs; the next message is answered by the
// new code on the same connection:
//   - change the reply of !echo, or add a command to Answer;
//   - add a member to Sighting (say `int Count = 1`): every nick the bot has seen is migrated
//     into the new type, and !seen still knows them;
//   - save a syntax error: the old commands keep answering, and the admin gets the error with
//     file and line.
using IrcBot;
using Microsoft.Extensions.DependencyInjection;

/// <summary>Where and when a nick last spoke. Defined here, so each reload migrates every entry into the new type.</summary>
public sealed record Sighting(string Channel, string Text, DateTimeOffset At);

public sealed class Commands : IModule
{
    private IIrc _irc = null!;
    private MoltEngine _engine = null!;
    private TimeProvider _time = null!;
    private IPersistentState<Dictionary<string, Sighting>> _seen = null!;

    public ValueTask OnLoadAsync(IModuleContext context)
    {
        _irc = context.Services.GetRequiredService<IIrc>();
        _engine = context.Services.GetRequiredService<MoltEngine>();
        _time = context.Services.GetRequiredService<TimeProvider>();
        // Owned by the host: survives every reload of this plugin.
        _seen = context.State("seen", () => new Dictionary<string, Sighting>(StringComparer.OrdinalIgnoreCase));
        context.Attach(Bot.Message, OnMessage);
        return ValueTask.CompletedTask;
    }

    private void OnMessage(IrcMessage message)
    {
        // Answer first, then remember: a reply never depends on the bookkeeping.
        if (Answer(message) is { } reply)
        {
            _irc.Privmsg(message.ReplyTo, reply);
        }

        if (message.IsChannel)
        {
            // Through the handle, so a reload running at this moment migrates this write too.
            _seen.Update(seen =>
            {
                seen[message.Nick] = new Sighting(message.Target, message.Text, _time.GetUtcNow());
                return seen;
            });
        }
    }

    private string? Answer(IrcMessage message)
    {
        var text = message.Text.Trim();
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        var command = space < 0 ? text : text[..space];
        var argument = space < 0 ? string.Empty : text[(space + 1)..].Trim();
        return command switch
        {
            "!echo" => $"echo: {argument}",
            "!uptime" => Uptime(),
            "!reloads" => Reloads(),
            "!seen" => Seen(argument),
            "!help" => "commands: !echo <text>, !uptime, !reloads, !seen <nick>, !mem; admin: !reload",
            _ => null,
        };
    }

    private string Uptime()
    {
        var connected = _irc.ConnectedAt is { } at ? $"{at:yyyy-MM-dd HH:mm:ss.fff} UTC" : "not yet";
        return $"up {Format(_time.GetUtcNow() - _irc.StartedAt)}; connection #{_irc.ConnectionId} since {connected}";
    }

    private string Reloads()
    {
        var manifest = _engine.Manifest;
        var last = manifest.LastReload is { } r ? $"{(r.Succeeded ? "ok" : "failed")} ({r.Trigger}, {r.Timings.Total.TotalMilliseconds:0} ms)" : "none";
        return $"generation {manifest.Generation}: {string.Join(", ", manifest.Modules.Select(m => $"{m.Name}#{m.Generation}"))}; last reload: {last}";
    }

    private string Seen(string nick)
    {
        if (nick.Length == 0)
        {
            return "usage: !seen <nick>";
        }

        return _seen.Value.TryGetValue(nick, out var sighting)
            ? $"{nick} was last seen in {sighting.Channel} {Format(_time.GetUtcNow() - sighting.At)} ago, saying: {sighting.Text}"
            : $"I have not seen {nick}.";
    }

    private static string Format(TimeSpan span) =>
        span.TotalDays >= 1 ? $"{(int)span.TotalDays}d{span.Hours}h" : span.TotalHours >= 1 ? $"{span.Hours}h{span.Minutes}m" : $"{span.Minutes}m{span.Seconds}s";
}
