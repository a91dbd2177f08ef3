using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Molt.Samples.Tests;

/// <summary>
/// Clients GETting the WebSite's page in a loop, each request on a new connection (so every request
/// is a new connection attempt during a hot restart), counting pages by the process that served
/// them, the counts they showed, failed requests and refused connections.
/// </summary>
internal sealed partial class PageLoad : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _workers = [];
    private readonly ConcurrentDictionary<int, int> _byProcess = new();
    private readonly ConcurrentDictionary<int, byte> _counts = new();
    private readonly ConcurrentQueue<string> _failures = new();
    private readonly SemaphoreSlim _answered = new(0);
    private long _longestTicks;
    private int _refused;
    private int _disposed;

    public PageLoad(Uri site, int workers)
    {
        _http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = site, Timeout = TimeSpan.FromSeconds(30) };
        for (var i = 0; i < workers; i++)
        {
            _workers.Add(Task.Run(WorkAsync));
        }
    }

    public int Refused => Volatile.Read(ref _refused);

    public IReadOnlyCollection<string> Failures => _failures;

    /// <summary>Gets every counter value a page showed.</summary>
    public IReadOnlyCollection<int> Counts => [.. _counts.Keys];

    /// <summary>Gets the longest any one request took, connection included: the gap a client saw.</summary>
    public TimeSpan Longest => TimeSpan.FromTicks(Interlocked.Read(ref _longestTicks));

    public int Total => _byProcess.Values.Sum();

    public int ServedBy(int pid) => _byProcess.GetValueOrDefault(pid);

    public async Task WaitForPagesAsync(int pid, int count, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (ServedBy(pid) < count)
        {
            try
            {
                await _answered.WaitAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Process {pid} served {ServedBy(pid)} of {count} pages within {timeout}; failures: {string.Join("; ", _failures.Take(5))}");
            }
        }
    }

    /// <summary>Stops the clients and waits for their last requests, so the counts are final; safe to call twice.</summary>
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
                using var request = new HttpRequestMessage(HttpMethod.Get, "/");
                request.Headers.ConnectionClose = true;
                using var response = await _http.SendAsync(request);
                var html = await response.Content.ReadAsStringAsync();
                var page = Page().Match(html);
                if (!response.IsSuccessStatusCode || !page.Success)
                {
                    _failures.Enqueue($"{(int)response.StatusCode}: {html}");
                    continue;
                }

                _byProcess.AddOrUpdate(int.Parse(page.Groups["pid"].Value, CultureInfo.InvariantCulture), 1, (_, n) => n + 1);
                _counts.TryAdd(int.Parse(page.Groups["count"].Value, CultureInfo.InvariantCulture), 0);
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

    [GeneratedRegex(@"count: (?<count>-?\d+)</p>.*served by process (?<pid>\d+)</p>", RegexOptions.Singleline)]
    private static partial Regex Page();
}
