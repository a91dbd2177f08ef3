using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Molt.Harness.Infrastructure;

namespace Molt.Harness.Items;

/// <summary>
/// Item 8: hot restart under load. Starts tests/Molt.HotRestart.TestHost (Kestrel on a hot-restart
/// listener, one module), keeps 4 clients sending GET /hit, each request on a new connection, and
/// restarts it with SIGUSR2 several times. Per restart: the time from the signal to the first
/// answer from the new process, the longest any one request took (the gap a client saw), and the
/// longest time with no answer to anyone, and the longest round trip on the one TCP session the
/// host carries across restarts (<see cref="RestartSession"/>); over the run, failed requests and
/// refused connections, and lines of the session lost, repeated or out of order.
/// </summary>
internal static class RestartItem
{
    private const string Module = """
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Http;
        using Microsoft.AspNetCore.Routing;
        using Molt.AspNetCore;

        public static class Counter
        {
            [Persistent] public static int Hits { get; set; }
        }

        [Export]
        public sealed class Api : IModuleEndpoints
        {
            public void MapEndpoints(IEndpointRouteBuilder endpoints) =>
                endpoints.MapGet("/hit", () => $"{Environment.ProcessId} {++Counter.Hits}");
        }
        """;

    public static async Task<JsonObject> RunAsync(Options options)
    {
        var restarts = options.Int("--restarts", quick: 3, full: 10);
        var hostDll = Path.GetFullPath(options.Get("--host") ?? "tests/Molt.HotRestart.TestHost/bin/Release/net10.0/Molt.HotRestart.TestHost.dll");
        using var dir = new TempDirectory("restart");
        dir.Write("modules/api.cs", Module);
        await using var session = new RestartSession();
        var (first, port) = await StartHostAsync(hostDll, dir.Root, session.Port);
        await session.StartAsync();
        var load = new Load(port, clients: 4);
        var longestSessionWait = new List<double>();
        var toServing = new List<double>();
        var longestRequest = new List<double>();
        var longestSilence = new List<double>();
        var pid = first;
        try
        {
            await load.WaitForAsync(p => p == pid, 200, 0);
            var baseline = load.Window();
            await Task.Delay(TimeSpan.FromSeconds(2));
            var (baselineRequest, baselineSilence) = baseline();
            for (var i = 0; i < restarts; i++)
            {
                var old = pid;
                var window = load.Window();
                var sessionWindow = session.Window();
                var signalled = Stopwatch.GetTimestamp();
                using (var kill = Process.Start("kill", ["-USR2", old.ToString(CultureInfo.InvariantCulture)]))
                {
                    await kill.WaitForExitAsync();
                }

                pid = await load.WaitForAsync(p => p != old, 1, signalled);
                toServing.Add(Stopwatch.GetElapsedTime(signalled, load.FirstAnswerFrom(pid)!.Value).TotalMilliseconds);
                await WaitForExitAsync(old);
                await load.WaitForAsync(p => p == pid, 200, signalled);
                var (request, silence) = window();
                longestRequest.Add(request);
                longestSilence.Add(silence);
                longestSessionWait.Add(sessionWindow());
                Console.Error.WriteLine($"8 restart {i + 1}: {old} -> {pid}, serving after {toServing[^1]:0} ms, longest request {request:0.0} ms, longest silence {silence:0.0} ms, longest session line {longestSessionWait[^1]:0.0} ms");
            }

            await load.DisposeAsync();
            var (sent, wrong, processes) = await session.FinishAsync();
            var rows = new JsonArray
            {
                Row.Of("8", $"hot restart (SIGUSR2) of a Kestrel host under 4 clients, a new connection per request, {restarts} restarts: signal to the new process answering, median / max",
                    $"{new Stats(toServing).Median:0} ms / {new Stats(toServing).Max:0} ms"),
                Row.Of("8", "longest single request during a restart (connect included), median / max of the restarts; without a restart",
                    $"{new Stats(longestRequest).Median:0.0} ms / {new Stats(longestRequest).Max:0.0} ms; {baselineRequest:0.0} ms"),
                Row.Of("8", "longest time with no answer to any client during a restart, median / max; without a restart",
                    $"{new Stats(longestSilence).Median:0.0} ms / {new Stats(longestSilence).Max:0.0} ms; {baselineSilence:0.0} ms"),
                Row.Of("8", "carried TCP session (a line every 10 ms, answered by whichever process holds it): longest round trip of a line during a restart, median / max",
                    $"{new Stats(longestSessionWait).Median:0.0} ms / {new Stats(longestSessionWait).Max:0.0} ms"),
                Row.Of("8", "carried TCP session: lines lost, repeated or out of order / session closed", $"{wrong} of {sent:N0} lines over {processes} processes / {(session.Closed ? "yes" : "no")}", "0 / no", wrong == 0 && !session.Closed),
                Row.Of("8", "failed requests / refused connections", $"{load.Failed.Count} / {load.Refused} of {load.Answered:N0} requests", "0 / 0", load.Failed.IsEmpty && load.Refused == 0),
            };
            return new JsonObject
            {
                ["item"] = "restart",
                ["restarts"] = restarts,
                ["to_serving_ms"] = new Stats(toServing).ToJson(),
                ["longest_request_ms"] = new Stats(longestRequest).ToJson(),
                ["longest_silence_ms"] = new Stats(longestSilence).ToJson(),
                ["session_longest_line_ms"] = new Stats(longestSessionWait).ToJson(),
                ["session_lines"] = sent,
                ["session_wrong"] = wrong,
                ["failed"] = load.Failed.Count,
                ["refused"] = load.Refused,
                ["answered"] = load.Answered,
                ["rows"] = rows,
            };
        }
        finally
        {
            await load.DisposeAsync();
            Kill(pid);
        }
    }

    private static async Task<(int Pid, int Port)> StartHostAsync(string hostDll, string root, int sessionPort)
    {
        var info = new ProcessStartInfo("dotnet", [hostDll, "--modules", Path.Combine(root, "modules"), "--cache", Path.Combine(root, "cache"), "--peer", sessionPort.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
        };
        var process = Process.Start(info)!;
        var ready = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data?.StartsWith("READY", StringComparison.Ordinal) == true)
            {
                ready.TrySetResult(e.Data);
            }
        };
        process.BeginOutputReadLine();
        var line = await ready.Task.WaitAsync(TimeSpan.FromSeconds(90));
        var port = int.Parse(line.Split("port=")[1].Split(' ')[0], CultureInfo.InvariantCulture);
        return (process.Id, port);
    }

    private static async Task WaitForExitAsync(int pid)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (File.Exists($"/proc/{pid}/status") && !File.ReadAllText($"/proc/{pid}/status").Contains("State:\tZ", StringComparison.Ordinal))
        {
            await Task.Delay(20, cancel.Token);
        }
    }

    private static void Kill(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            // Gone already.
        }
    }

    /// <summary>The clients: every answer is recorded with when it came and how long it took.</summary>
    private sealed class Load : IAsyncDisposable
    {
        private readonly HttpClient _http;
        private readonly CancellationTokenSource _stop = new();
        private readonly List<Task> _clients;
        private readonly ConcurrentQueue<(long At, double Ms, int Pid)> _answers = new();
        private int _refused;

        public Load(int port, int clients)
        {
            _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
            _clients = [.. Enumerable.Range(0, clients).Select(_ => Task.Run(RunAsync))];
        }

        public ConcurrentQueue<string> Failed { get; } = new();

        public int Refused => Volatile.Read(ref _refused);

        public int Answered => _answers.Count;

        public long? FirstAnswerFrom(int pid) => _answers.Where(a => a.Pid == pid).Select(a => (long?)a.At).Min();

        /// <summary>Waits until <paramref name="count"/> answers came, after <paramref name="since"/>, from a process that matches; returns its id.</summary>
        public async Task<int> WaitForAsync(Func<int, bool> process, int count, long since)
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            while (true)
            {
                var match = _answers.Where(a => a.At >= since && process(a.Pid)).GroupBy(a => a.Pid).FirstOrDefault(g => g.Count() >= count);
                if (match is not null)
                {
                    return match.Key;
                }

                await Task.Delay(10, cancel.Token);
            }
        }

        /// <summary>Starts a window; calling the result closes it and gives its longest request and longest silence, in ms.</summary>
        public Func<(double Request, double Silence)> Window()
        {
            var opened = Stopwatch.GetTimestamp();
            return () =>
            {
                var closed = Stopwatch.GetTimestamp();
                var inside = _answers.Where(a => a.At >= opened && a.At <= closed).OrderBy(a => a.At).ToList();
                var silence = inside.Zip(inside.Skip(1), (a, b) => Stopwatch.GetElapsedTime(a.At, b.At).TotalMilliseconds).DefaultIfEmpty(0).Max();
                return (inside.Select(a => a.Ms).DefaultIfEmpty(0).Max(), silence);
            };
        }

        public async ValueTask DisposeAsync()
        {
            if (!_stop.IsCancellationRequested)
            {
                await _stop.CancelAsync();
                await Task.WhenAll(_clients);
                _http.Dispose();
            }
        }

        private async Task RunAsync()
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
                        Failed.Enqueue($"{(int)response.StatusCode} {body}");
                        continue;
                    }

                    _answers.Enqueue((Stopwatch.GetTimestamp(), Stopwatch.GetElapsedTime(started).TotalMilliseconds, int.Parse(body.Split(' ')[0], CultureInfo.InvariantCulture)));
                }
                catch (HttpRequestException ex) when (ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
                {
                    Interlocked.Increment(ref _refused);
                }
                catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException)
                {
                    Failed.Enqueue(ex.Message);
                }
            }
        }
    }
}
