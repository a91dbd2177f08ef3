using System.Collections.Concurrent;
using System.Diagnostics;

namespace Molt.Harness.Infrastructure;

/// <summary>
/// Runs a process and timestamps the lines it prints, so the time from a file write to the first
/// line with the new output is measured the same way for every program.
/// </summary>
internal sealed class LineWatcher : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _tail = new();
    private readonly Lock _gate = new();
    private Func<string, bool>? _awaited;
    private TaskCompletionSource<long>? _seen;
    private int _starts;

    public LineWatcher(ProcessStartInfo info, string startMarker)
    {
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        _process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {info.FileName}.");
        _ = Task.Run(() => Read(_process.StandardOutput, startMarker));
        _ = Task.Run(() => Read(_process.StandardError, startMarker));
    }

    /// <summary>Gets how many times the program printed its start marker (restarts show up here).</summary>
    public int Starts => Volatile.Read(ref _starts);

    public string Tail => string.Join('\n', _tail);

    /// <summary>Gets the last line that satisfied an <see cref="Expect"/>.</summary>
    public string? LastMatch { get; private set; }

    /// <summary>Waits for a line matching <paramref name="match"/> printed after this call; returns its timestamp.</summary>
    public Task<long> Expect(Func<string, bool> match)
    {
        lock (_gate)
        {
            _awaited = match;
            _seen = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            return _seen.Task;
        }
    }

    /// <summary>Runs <paramref name="edit"/> and returns the milliseconds until a line matching <paramref name="match"/>.</summary>
    public async Task<double> TimeAsync(Action edit, Func<string, bool> match, TimeSpan timeout)
    {
        var seen = Expect(match);
        var start = Stopwatch.GetTimestamp();
        edit();
        try
        {
            var at = await seen.WaitAsync(timeout);
            return Stopwatch.GetElapsedTime(start, at).TotalMilliseconds;
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"No matching line within {timeout.TotalSeconds} s. Last output:\n{Tail}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (InvalidOperationException)
        {
        }
        catch (TimeoutException)
        {
        }

        _process.Dispose();
    }

    private void Read(StreamReader reader, string startMarker)
    {
        while (reader.ReadLine() is { } line)
        {
            var at = Stopwatch.GetTimestamp();
            if (line.StartsWith(startMarker, StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _starts);
            }

            if (!line.StartsWith("value=", StringComparison.Ordinal))
            {
                _tail.Enqueue(line);
                while (_tail.Count > 40 && _tail.TryDequeue(out _))
                {
                }
            }

            lock (_gate)
            {
                if (_awaited is { } match && match(line))
                {
                    _awaited = null;
                    LastMatch = line;
                    _seen!.TrySetResult(at);
                }
            }
        }
    }
}
