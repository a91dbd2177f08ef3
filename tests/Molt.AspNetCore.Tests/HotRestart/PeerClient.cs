using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Molt.AspNetCore.Tests.HotRestart;

/// <summary>
/// The far end of the test host's one outgoing session (<c>--peer</c>): accepts it once, sends a
/// numbered line every few milliseconds, and records every answer (the answering process, the
/// number, and the count the session kept).
/// </summary>
internal sealed class PeerClient : IAsyncDisposable
{
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly List<(int Pid, int Line, int Count)> _answers = [];
    private readonly CancellationTokenSource _stop = new();
    private Socket? _session;
    private Task? _sender;
    private Task? _reader;
    private int _sent;

    public PeerClient()
    {
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(4);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

    /// <summary>Gets a value indicating whether the host closed the session.</summary>
    public bool Closed { get; private set; }

    public int Sent => Volatile.Read(ref _sent);

    public IReadOnlyList<(int Pid, int Line, int Count)> Answers
    {
        get
        {
            lock (_answers)
            {
                return [.. _answers];
            }
        }
    }

    /// <summary>Gets a value indicating whether the host tried to open a second session.</summary>
    public bool Reconnected => _listener.Poll(0, SelectMode.SelectRead);

    public async Task AcceptAndStartAsync(TimeSpan timeout)
    {
        _session = await _listener.AcceptAsync().WaitAsync(timeout);
        _session.NoDelay = true;
        _sender = Task.Run(SendAsync);
        _reader = Task.Run(ReadAsync);
    }

    public async Task WaitForAnswersAsync(int pid, int count, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (Answers.Count(a => a.Pid == pid) < count)
        {
            Assert.False(Closed, "the host closed the session");
            await Task.Delay(20, cancel.Token);
        }
    }

    /// <summary>Stops sending and waits until every line sent was answered.</summary>
    public async Task FinishAsync(TimeSpan timeout)
    {
        await _stop.CancelAsync();
        await _sender!.WaitAsync(timeout);
        using var cancel = new CancellationTokenSource(timeout);
        while (Answers.Count < Sent && !Closed)
        {
            await Task.Delay(20, cancel.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _session?.Dispose();
        _listener.Dispose();
        if (_reader is not null)
        {
            await _reader.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    private async Task SendAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var n = Interlocked.Increment(ref _sent);
                await _session!.SendAsync(System.Text.Encoding.ASCII.GetBytes($"{n}\n"));
                await Task.Delay(10, _stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task ReadAsync()
    {
        try
        {
            using var reader = new StreamReader(new NetworkStream(_session!, ownsSocket: false));
            while (await reader.ReadLineAsync() is { } line)
            {
                var parts = line.Split(' ');
                lock (_answers)
                {
                    _answers.Add((int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture), int.Parse(parts[2], CultureInfo.InvariantCulture)));
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException)
        {
        }

        Closed = true;
    }
}
