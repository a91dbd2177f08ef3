using System.Diagnostics;
using System.Text;

namespace Molt.Samples.Tests;

/// <summary>A sample started as a real process, with its output captured line by line.</summary>
internal sealed class SampleProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly SemaphoreSlim _changed = new(0);
    private readonly List<int> _successors = [];

    private SampleProcess(Process process) => _process = process;

    public int Id => _process.Id;

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

    public string Output => string.Join('\n', Lines);

    /// <summary>Starts a sample's built assembly (bin/Debug or bin/Release beside its project) with <c>dotnet</c>.</summary>
    public static SampleProcess Start(string sample, params string[] arguments) => StartAssembly(SamplePaths.Assembly(sample), arguments);

    /// <summary>Starts a built assembly with <c>dotnet</c>.</summary>
    public static SampleProcess StartAssembly(string assembly, params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
        };
        info.ArgumentList.Add(assembly);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var sampleProcess = new SampleProcess(process);
        process.OutputDataReceived += (_, e) => sampleProcess.Add(e.Data);
        process.ErrorDataReceived += (_, e) => sampleProcess.Add(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return sampleProcess;
    }

    /// <summary>Waits until a line matches, or fails with everything printed so far.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout, int skip = 0)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (true)
        {
            var found = Lines.Skip(skip).FirstOrDefault(match);
            if (found is not null)
            {
                return found;
            }

            try
            {
                await _changed.WaitAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No matching line within {timeout}. Output:\n{Output}");
            }
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        return _process.ExitCode;
    }

    /// <summary>Kills <paramref name="pid"/> too at disposal: a process a hot restart started, which outlives this one.</summary>
    public void AddSuccessor(int pid)
    {
        lock (_successors)
        {
            _successors.Add(pid);
        }
    }

    /// <summary>Waits for a process to be gone; not for its output, which a process it hot-restarted into holds open.</summary>
    public static async Task WaitForGoneAsync(int pid, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (IsAlive(pid))
        {
            await Task.Delay(50, cancel.Token);
        }
    }

    public static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        int[] successors;
        lock (_successors)
        {
            successors = [.. _successors];
        }

        foreach (var pid in successors)
        {
            try
            {
                using var successor = Process.GetProcessById(pid);
                successor.Kill(entireProcessTree: true);
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
            {
                // Already gone.
            }
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Add(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lines)
        {
            _lines.Add(line);
        }

        _changed.Release();
    }
}
