using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Molt.Samples.Tests.Irc;

/// <summary>
/// A raw IRC client for tests: registers, answers the server's PINGs, and keeps every line it
/// receives so tests can wait for one and look back at all of them.
/// </summary>
internal sealed class IrcClient : IAsyncDisposable
{
    private static readonly UTF8Encoding s_utf8 = new(false);
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly List<string> _lines = [];
    private readonly Lock _sendGate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reading;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _closed;

    private IrcClient(TcpClient tcp, string nick)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
        Nick = nick;
        _reading = Task.Run(ReadAsync);
    }

    public string Nick { get; }

    /// <summary>Gets every line received so far, in order.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>Connects and waits for the server's welcome (numeric 001).</summary>
    public static async Task<IrcClient> ConnectAsync(int port, string nick, TimeSpan timeout)
    {
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        var client = new IrcClient(tcp, nick);
        client.Send("NICK " + nick);
        client.Send($"USER {nick} 0 * :Molt test client");
        await client.WaitForLineAsync(l => l.Contains($" 001 {nick} ", StringComparison.Ordinal), timeout);
        return client;
    }

    public async Task JoinAsync(string channel, TimeSpan timeout)
    {
        var skip = Lines.Count;
        Send("JOIN " + channel);
        await WaitForLineAsync(l => l.StartsWith($":{Nick}!", StringComparison.Ordinal) && l.Contains(" JOIN ", StringComparison.Ordinal), timeout, skip);
    }

    public void Say(string target, string text) => Send($"PRIVMSG {target} :{text}");

    public void Send(string line)
    {
        var bytes = s_utf8.GetBytes(line + "\r\n");
        lock (_sendGate)
        {
            _stream.Write(bytes);
        }
    }

    /// <summary>Waits until a line after the first <paramref name="skip"/> matches, or fails with every line received.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout, int skip = 0) =>
        await FindAsync(match, timeout, skip) ?? throw new TimeoutException($"{Nick}: no matching line within {timeout}. Received:\n{string.Join('\n', Lines)}");

    /// <summary>Says <paramref name="text"/> and waits for the first line from <paramref name="from"/> to <paramref name="target"/> whose text matches.</summary>
    public async Task<string> AskAsync(string target, string text, string from, Func<string, bool> reply, TimeSpan timeout)
    {
        var skip = Lines.Count;
        Say(target, text);
        var line = await WaitForLineAsync(l => MessageText(l, from, target) is { } said && reply(said), timeout, skip);
        return MessageText(line, from, target)!;
    }

    /// <summary>Returns the text of a <c>PRIVMSG</c> line from <paramref name="from"/> to <paramref name="target"/>, or <see langword="null"/>.</summary>
    public static string? MessageText(string line, string from, string target)
    {
        var head = $" PRIVMSG {target} :";
        var at = line.IndexOf(head, StringComparison.Ordinal);
        return line.StartsWith($":{from}!", StringComparison.Ordinal) && at > 0 ? line[(at + head.Length)..] : null;
    }

    /// <summary>Returns the first matching line within <paramref name="timeout"/>, or <see langword="null"/> if none came.</summary>
    public async Task<string?> FindAsync(Func<string, bool> match, TimeSpan timeout, int skip = 0)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (true)
        {
            Task changed;
            lock (_lines)
            {
                var found = _lines.Skip(skip).FirstOrDefault(match);
                if (found is not null)
                {
                    return found;
                }

                if (_closed)
                {
                    return null;
                }

                changed = _changed.Task;
            }

            try
            {
                await changed.WaitAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            Send("QUIT :done");
        }
        catch (IOException)
        {
        }

        _stop.Cancel();
        _tcp.Dispose();
        await _reading;
        _stop.Dispose();
    }

    private async Task ReadAsync()
    {
        try
        {
            using var reader = new StreamReader(_stream, s_utf8);
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                if (line.StartsWith("PING ", StringComparison.Ordinal))
                {
                    Send("PONG " + line[5..]);
                }

                Add(line, closed: false);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
        {
        }

        Add(null, closed: true);
    }

    private void Add(string? line, bool closed)
    {
        TaskCompletionSource changed;
        lock (_lines)
        {
            if (line is not null)
            {
                _lines.Add(line);
            }

            _closed |= closed;
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }
}
