using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace Molt.AspNetCore.Tests.HotRestart;

/// <summary>
/// Clients sending GET /hit in a loop, each request on a new connection (so every request is a new
/// connection attempt during a restart), counting answers by process, failures and refused connections.
/// </summary>
internal sealed class LoadClient : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _workers = [];
    private readonly ConcurrentDictionary<int, int> _byProcess = new();
    private readonly ConcurrentQueue<string> _failures = new();
    private readonly SemaphoreSlim _answered = new(0);
    private long _longestTicks;
    private int _refused;
    private int _disposed;

    public LoadClient(int port, int workers)
    {
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        for (var i = 0; i < workers; i++)
        {
            _workers.Add(Task.Run(WorkAsync));
        }
    }

    public int Refused => Volatile.Read(ref _refused);

    public IReadOnlyCollection<string> Failures => _failures;

    /// <summary>Gets the longest any one request took, connection included: the gap a client saw.</summary>
    public TimeSpan Longest => TimeSpan.FromTicks(Interlocked.Read(ref _longestTicks));

    public int AnsweredBy(int pid) => _byProcess.GetValueOrDefault(pid);

    public async Task WaitForAnswersAsync(int pid, int count, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (AnsweredBy(pid) < count)
        {
            try
            {
                await _answered.WaitAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Process {pid} answered {AnsweredBy(pid)} of {count} requests within {timeout}; failures: {string.Join("; ", _failures.Take(5))}");
            }
        }
    }

    /// <summary>Stops the clients and waits for their last requests (so the counts are final); safe to call twice.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync();
        await Task.WhenAll(_workers);
        _http.Dispose();
        _stop.Dispose();
    }

    private async Task WorkAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/hit");
                request.Headers.ConnectionClose = true;
                using var response = await _http.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                if (!response.IsSuccessStatusCode)
                {
                    _failures.Enqueue($"{(int)response.StatusCode}: {body}");
                    continue;
                }

                _byProcess.AddOrUpdate(int.Parse(body.Split(' ')[0], CultureInfo.InvariantCulture), 1, (_, n) => n + 1);
                _answered.Release();
            }
            catch (HttpRequestException ex) when (ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
            {
                Interlocked.Increment(ref _refused);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException && !_stop.IsCancellationRequested)
            {
                _failures.Enqueue(ex.ToString());
            }
            finally
            {
                var ticks = Stopwatch.GetElapsedTime(started).Ticks;
                long seen;
                while (ticks > (seen = Interlocked.Read(ref _longestTicks)) && Interlocked.CompareExchange(ref _longestTicks, ticks, seen) != seen)
                {
                }
            }
        }
    }
}
