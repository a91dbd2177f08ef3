using System.Text;
using Microsoft.Extensions.Logging;

namespace IrcBot;

/// <summary>
/// The permanent part's hold on the server: the open stream, the nick the server accepted, and a
/// lock so that lines from the line loop, reload reports and plugin timers never interleave.
/// </summary>
internal sealed class IrcConnection(BotOptions options, TimeProvider time, ILogger<IrcConnection> logger) : IIrc
{
    private const int MaxLineBytes = 510;
    private static readonly UTF8Encoding s_utf8 = new(encoderShouldEmitUTF8Identifier: false);
    private readonly Lock _gate = new();
    private Stream? _stream;
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

    /// <summary>Starts a new connection on <paramref name="stream"/>; the server has not accepted it yet.</summary>
    public int Open(Stream stream)
    {
        lock (_gate)
        {
            _stream = stream;
            _connectedAt = null;
            return ++_connectionId;
        }
    }

    /// <summary>Records that the server accepted the connection under <paramref name="nick"/>.</summary>
    public void Registered(string nick)
    {
        Volatile.Write(ref _nick, nick);
        lock (_gate)
        {
            _connectedAt = time.GetUtcNow();
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
            _stream = null;
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
            if (_stream is null)
            {
                Log.Dropped(logger, line);
                return;
            }

            try
            {
                _stream.Write(bytes);
                _stream.Flush();
            }
            catch (IOException)
            {
                // The line loop sees the broken connection and stops the bot.
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

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
