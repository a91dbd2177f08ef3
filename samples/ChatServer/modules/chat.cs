// The chat room. Edit it while people are connected and save: nobody is disconnected, nicks and
// counts stay, and the next line anyone types runs the new code. Try changing how messages look
// ("<{me.Nick}> {line}"), or add a command.

public sealed class Member
{
    public string Nick = "";
    public int Said;
}

[Export]
public sealed class Chat(IModuleContext context) : IConnectionHandler
{
    // Who is in the room, by connection: persistent, so it survives every reload (and migrates
    // when Member changes). Changed only through Update.
    private readonly IPersistentState<Dictionary<long, Member>> _members = context.State("members", () => new Dictionary<long, Member>());

    public async Task HandleAsync(IModuleConnection connection, CancellationToken reloading)
    {
        if (connection.IsNew)
        {
            await connection.WriteLineAsync("welcome! your nick?");
        }

        if (!_members.Value.ContainsKey(connection.Id))
        {
            var nick = (await connection.ReadLineAsync(reloading))?.Trim();
            if (string.IsNullOrEmpty(nick))
            {
                return;
            }

            _members.Update(members => { members[connection.Id] = new Member { Nick = nick }; return members; });
            await BroadcastAsync(connection, $"* {nick} joined");
        }

        // No lock around the room: a server's handlers run one at a time between their awaits.
        while (await connection.ReadLineAsync(reloading) is { } line)
        {
            var me = _members.Value[connection.Id];
            if (line == "/who")
            {
                await connection.WriteLineAsync("* here: " + string.Join(", ", _members.Value.Values.Select(m => $"{m.Nick} ({m.Said})")));
                continue;
            }

            _members.Update(members => { members[connection.Id].Said++; return members; });
            await BroadcastAsync(connection, $"<{me.Nick}> {line}");
        }

        // The peer hung up (not a reload: that throws out of the read above).
        var left = _members.Value[connection.Id].Nick;
        _members.Update(members => { members.Remove(connection.Id); return members; });
        await BroadcastAsync(connection, $"* {left} left");
    }

    // Everyone in the room, whichever generation's handler serves their connection at the moment.
    private async Task BroadcastAsync(IModuleConnection from, string text)
    {
        foreach (var other in from.AllConnections.Where(c => _members.Value.ContainsKey(c.Id)).ToArray())
        {
            try
            {
                await other.WriteLineAsync(text);
            }
            catch (IOException)
            {
                // That one is leaving; its own handler says so.
            }
        }
    }
}
