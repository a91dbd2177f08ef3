using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Molt.Hosting;

namespace IrcBot;

/// <summary>
/// The permanent part's hold on the server: the open session, the nick the server accepted, and a
/// lock so that lines from the line loop, reload reports and plugin timers never interleave. What
/// a new process needs to go on with the session after a hot restart travels as the session's
/// state: the nick, the connection's number and when the server accepted it.
/// </summary>
internal sealed class IrcConnection(BotOptions options, TimeProvider time, IHotRestartConnections sessions, ILogger<IrcConnection> logger) : IIrc
{
    /// <summary>The session's name for hot restarts.</summary>
    private const string SessionName = "irc";

    private const int MaxLineBytes = 510;
    private static readonly UTF8Encoding s_utf8 = new(encoderShouldEmitUTF8Identifier: false);
    private readonly Lock _gate = new();
    private HotRestartConnection? _session;
    private DateTimeOffset? _connectedAt;
    private int _connectionId;
    private string _nick = options.Nick;

    public string Nick => Volatile.Read(ref _nick);

    public IReadOnlyList<string> Channels => options.Channels;

    public string Admin => options.Admin;

    public DateTimeOffset StartedAt { get; } = time.GetUtcNow();

    public DateTimeOffset? ConnectedAt
    {
        get
        {
            lock (_gate)
            {
                return _connectedAt;
            }
        }
    }

    public int ConnectionId => Volatile.Read(ref _connectionId);

    /// <summary>Starts a new connection on <paramref name="socket"/>, which a hot restart hands over; the server has not accepted it yet.</summary>
    public (HotRestartConnection Session, int Connection) Open(Socket socket)
    {
        var session = sessions.Adopt(SessionName, socket);
        lock (_gate)
        {
            _session = session;
            _connectedAt = null;
            ++_connectionId;
            SaveState();
            return (session, _connectionId);
        }
    }

    /// <summary>
    /// Goes on with the session the previous process handed over, with the nick, number and time
    /// of registration it carries (a session handed over before the server accepted it is accepted
    /// on it later, as usual); <see langword="null"/> when this process was not started by a hot restart.
    /// </summary>
    public HotRestartConnection? TakeOver()
    {
        if (sessions.Take(SessionName) is not { } session)
        {
            return null;
        }

        var parts = (session.State ?? string.Empty).Split('\n');
        lock (_gate)
        {
            _session = session;
            if (parts.Length == 3 && int.TryParse(parts[1], CultureInfo.InvariantCulture, out var id) && long.TryParse(parts[2], CultureInfo.InvariantCulture, out var at))
            {
                Volatile.Write(ref _nick, parts[0]);
                _connectionId = id;
                _connectedAt = at < 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(at);
            }

            return session;
        }
    }

    /// <summary>Records that the server accepted the connection under <paramref name="nick"/>.</summary>
    public void Registered(string nick)
    {
        Volatile.Write(ref _nick, nick);
        lock (_gate)
        {
            _connectedAt = time.GetUtcNow();
            SaveState();
        }
    }

    /// <summary>Asks for another nick while registering, after the server refused one.</summary>
    public void ChangeNick(string nick)
    {
        Volatile.Write(ref _nick, nick);
        Send("NICK " + nick);
    }

    public void Close()
    {
        lock (_gate)
        {
            _session = null;
            _connectedAt = null;
        }
    }

    public void Privmsg(string target, string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(target);
        ArgumentNullException.ThrowIfNull(text);
        Send($"PRIVMSG {target} :{text}");
    }

    public void Send(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var bytes = Encode(line);
        lock (_gate)
        {
            if (_session is null)
            {
                Log.Dropped(logger, line);
                return;
            }

            try
            {
                _session.Write(bytes);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                // The line loop sees the broken connection and stops the bot.
            }
            catch (OperationCanceledException)
            {
                // Handed over to the new process of a hot restart: it sends from now on.
                Log.Dropped(logger, line);
            }
        }
    }

    /// <summary>The session's state for a hot restart; called under the lock.</summary>
    private void SaveState() =>
        _session!.State = string.Create(CultureInfo.InvariantCulture, $"{Nick}\n{_connectionId}\n{_connectedAt?.ToUnixTimeMilliseconds() ?? -1}");

    /// <summary>One protocol line: no line breaks a plugin could smuggle in, at most 510 bytes (never half a character), then CR LF.</summary>
    private static byte[] Encode(string line)
    {
        var clean = line.Replace('\r', ' ').Replace('\n', ' ');
        var length = 0;
        var bytes = 0;
        foreach (var rune in clean.EnumerateRunes())
        {
            if (bytes + rune.Utf8SequenceLength > MaxLineBytes)
            {
                break;
            }

            bytes += rune.Utf8SequenceLength;
            length += rune.Utf16SequenceLength;
        }

        return s_utf8.GetBytes(string.Concat(clean.AsSpan(0, length), "\r\n"));
    }
}
