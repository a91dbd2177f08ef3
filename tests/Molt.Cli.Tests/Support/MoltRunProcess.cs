using System.Diagnostics;

namespace Molt.Cli.Tests;

/// <summary>A real <c>molt run</c> process: its output line by line, signals, and a kill at disposal.</summary>
internal sealed class MoltRunProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Lock _gate = new();
    private readonly List<string> _lines = [];
    private readonly List<string> _errors = [];
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Done)> _waiters = [];

    private MoltRunProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_gate)
                {
                    _errors.Add(e.Data);
                }
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public string SocketPath { get; private set; } = "";

    public string ReadyLine { get; private set; } = "";

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_gate)
            {
                return [.. _lines];
            }
        }
    }

    public string Transcript
    {
        get
        {
            lock (_gate)
            {
                return $"stdout:\n{string.Join('\n', _lines)}\nstderr:\n{string.Join('\n', _errors)}";
            }
        }
    }

    /// <summary>Gets what it printed on standard error so far (with <c>--verbose</c>, every engine message).</summary>
    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_gate)
            {
                return [.. _errors];
            }
        }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Starts <c>molt run</c> and waits for its ready line.</summary>
    public static async Task<MoltRunProcess> StartAsync(TempWorkspace workspace, params string[] options)
    {
        var process = new MoltRunProcess(Process.Start(MoltTool.StartInfo(workspace.RuntimeDirectory, ["run", workspace.Modules, .. options]))!);
        var ready = await process.WaitForLineAsync(l => l.StartsWith("molt: ready", StringComparison.Ordinal));
        var marker = "socket ";
        var start = ready.IndexOf(marker, StringComparison.Ordinal) + marker.Length;
        process.SocketPath = ready[start..ready.IndexOf(',', start)];
        process.ReadyLine = ready;
        return process;
    }

    /// <summary>Starts another program whose output the test reads the same way (one built from the template).</summary>
    public static MoltRunProcess Start(ProcessStartInfo info)
    {
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        return new MoltRunProcess(Process.Start(info)!);
    }

    /// <summary>Waits for a line (already printed or still to come) that matches.</summary>
    public Task<string> WaitForLineAsync(Func<string, bool> match)
    {
        lock (_gate)
        {
            if (_lines.FirstOrDefault(match) is { } line)
            {
                return Task.FromResult(line);
            }

            var waiter = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, waiter));
            return WithTranscriptAsync(waiter.Task);
        }
    }

    public void Signal(int signal) => Signals.Send(_process.Id, signal);

    public async Task<int> WaitForExitAsync()
    {
        using var timeout = new CancellationTokenSource(TestTimeouts.Process);
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private async Task<string> WithTranscriptAsync(Task<string> line)
    {
        try
        {
            return await line.WaitAsync(TestTimeouts.Process);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"No such line within {TestTimeouts.Process}.\n{Transcript}", ex);
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            lock (_gate)
            {
                foreach (var waiter in _waiters)
                {
                    waiter.Done.TrySetException(new InvalidOperationException($"molt run closed its output.\n{string.Join('\n', _lines)}"));
                }

                _waiters.Clear();
            }

            return;
        }

        lock (_gate)
        {
            _lines.Add(line);
            foreach (var waiter in _waiters.Where(w => w.Match(line)).ToArray())
            {
                _waiters.Remove(waiter);
                waiter.Done.TrySetResult(line);
            }
        }
    }
}
