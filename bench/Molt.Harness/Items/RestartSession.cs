using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Molt.Harness.Items;

/// <summary>
/// Item 8's carried session: the test host's one outgoing connection (<c>--peer</c>), handed over
/// at each restart. A numbered line every 10 ms; each answer says which process answered and how
/// many lines the session answered in all, so a lost, repeated or reordered line shows.
/// </summary>
internal sealed class RestartSession : IAsyncDisposable
{
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly ConcurrentDictionary<int, long> _sentAt = new();
    private readonly ConcurrentQueue<(int Line, int Count, int Pid, long At, double Ms)> _answers = new();
    private readonly CancellationTokenSource _stop = new();
    private Socket? _session;
    private Task? _sender;
    private Task? _reader;
    private int _sent;

    public RestartSession()
    {
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(4);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

    public bool Closed { get; private set; }

    public async Task StartAsync()
    {
        _session = await _listener.AcceptAsync().WaitAsync(TimeSpan.FromSeconds(90));
        _session.NoDelay = true;
        _sender = Task.Run(SendAsync);
        _reader = Task.Run(ReadAsync);
    }

    /// <summary>Starts a window; calling the result gives the longest round trip of a line sent inside it, in ms.</summary>
    public Func<double> Window()
    {
        var opened = Stopwatch.GetTimestamp();
        return () => _answers.Where(a => a.At >= opened).Select(a => a.Ms).DefaultIfEmpty(0).Max();
    }

    /// <summary>Stops sending, waits for the last answers, and counts lines unanswered, answered twice or out of order, and the processes that answered.</summary>
    public async Task<(int Sent, int Wrong, int Processes)> FinishAsync()
    {
        await _stop.CancelAsync();
        await _sender!;
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (_answers.Count < _sent && !Closed && !cancel.IsCancellationRequested)
        {
            await Task.Delay(20, CancellationToken.None);
        }

        var answers = _answers.ToArray();
        var wrong = answers.Where((a, i) => a.Line != i + 1 || a.Count != i + 1).Count() + Math.Abs(_sent - answers.Length);
        return (_sent, wrong, answers.Select(a => a.Pid).Distinct().Count());
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _session?.Dispose();
        _listener.Dispose();
        if (_reader is not null)
        {
            await _reader;
        }
    }

    private async Task SendAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var n = _sent + 1;
                _sentAt[n] = Stopwatch.GetTimestamp();
                await _session!.SendAsync(System.Text.Encoding.ASCII.GetBytes($"{n}\n"));
                _sent = n;
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
                var now = Stopwatch.GetTimestamp();
                var parts = line.Split(' ');
                var n = int.Parse(parts[1], CultureInfo.InvariantCulture);
                var ms = _sentAt.TryGetValue(n, out var at) ? Stopwatch.GetElapsedTime(at, now).TotalMilliseconds : double.NaN;
                _answers.Enqueue((n, int.Parse(parts[2], CultureInfo.InvariantCulture), int.Parse(parts[0], CultureInfo.InvariantCulture), now, ms));
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException)
        {
        }

        Closed = true;
    }
}
