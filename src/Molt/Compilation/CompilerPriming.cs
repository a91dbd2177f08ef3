using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Molt.Loading;
using Molt.Reloading;

namespace Molt.Compilation;

/// <summary>
/// Keeps the compiler ready for the next edit, off the reload's path: a throwaway compile when the
/// engine is created (unless a compilation cache may make the start compile nothing), and after a
/// reload that loaded images from the cache, the compilations those modules' next edit will reuse.
/// </summary>
internal sealed class CompilerPriming : IAsyncDisposable
{
    private readonly ModuleCompiler _compiler;
    private readonly LiveModules _modules;
    private readonly ILogger _logger;
    private readonly bool _enabled;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _warmUp;
    private Task _priming = Task.CompletedTask;
    private int _editWarmedUp;

    public CompilerPriming(ModuleCompiler compiler, LiveModules modules, bool enabled, ILogger logger)
    {
        _compiler = compiler;
        _modules = modules;
        _logger = logger;
        _enabled = enabled;

        // With a compilation cache the start may not compile at all, and a throwaway compile would
        // only compete with it for the cores: modules loaded from the cache are primed afterwards.
        // With a compile server, the compiler to keep ready is the server's: it is started (or
        // found) now, and nothing of the compiler is jitted here.
        _warmUp = !enabled ? Task.CompletedTask
            : compiler.Server is { } server ? Task.Run(server.Prepare)
            : !compiler.HasCache ? Task.Run(WarmUp)
            : Task.CompletedTask;
    }

    /// <summary>Gets the background work that builds the compilations of cached modules (for tests).</summary>
    public Task Priming => _priming;

    /// <summary>
    /// After a switch: primes the new generations whose images came from the compilation cache; after
    /// the first, compiles a throwaway edit so the first real one finds its code path jitted (the
    /// start's own compile is not slowed by it).
    /// </summary>
    public void After(IReadOnlyList<Generation> fresh)
    {
        if (_enabled && _compiler.WarmsDeltaPathUp && Interlocked.Exchange(ref _editWarmedUp, 1) == 0)
        {
            _priming = WarmUpEditAsync(_priming);
        }

        // With a compile server, compiles do not happen here: an in-process compilation would only cost memory.
        var cached = fresh.Where(g => g.Compiled.FromCache).ToArray();
        if (_enabled && cached.Length > 0 && _compiler.Server is null)
        {
            _priming = PrimeAsync(_priming, cached, _modules.Current);
        }
    }

    /// <summary>Stops priming: a stopping engine has no later edits to speed up.</summary>
    public void Stop() => _stop.Cancel();

    public async ValueTask DisposeAsync()
    {
        Stop();
        await _warmUp.ConfigureAwait(false);
        await _priming.ConfigureAwait(false);
        _stop.Dispose();
    }

    /// <summary>
    /// Builds the compilations of generations whose images came from the compilation cache
    /// (dependencies first), so their next edit costs what it would have if they had been
    /// compiled: the compile reuses bound references and runs already-jitted compiler code.
    /// </summary>
    private async Task PrimeAsync(Task previous, Generation[] generations, ImmutableDictionary<string, Generation> live)
    {
        await previous.ConfigureAwait(false);
        var started = TimeProvider.System.GetTimestamp();
        try
        {
            await LargeStack.RunAsync(() => Prime(generations, live)).ConfigureAwait(false);
            Log.Primed(_logger, generations.Length, TimeProvider.System.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (OperationCanceledException)
        {
            // The engine is stopping.
        }
        catch (Exception ex)
        {
            // Only the next edit's speed depends on it.
            Log.WarmUpFailed(_logger, ex);
        }
    }

    private bool Prime(Generation[] generations, ImmutableDictionary<string, Generation> live)
    {
        foreach (var generation in generations)
        {
            if (_compiler.Parse(generation.Source, []) is not { } parsed || generation.Dependencies.Any(d => !live.ContainsKey(d)))
            {
                continue;
            }

            var dependencies = generation.Dependencies.Select(d => live[d].Compiled).ToArray();
            generation.AttachCompilation(_compiler.Prime(generation.Source, parsed, dependencies, generation.Compiled.Packages, _stop.Token));
        }

        return true;
    }

    private async Task WarmUpEditAsync(Task previous)
    {
        await previous.ConfigureAwait(false);
        await _warmUp.ConfigureAwait(false);
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        try
        {
            await LargeStack.RunAsync(() =>
            {
                _compiler.WarmUpEdit();
                return true;
            }).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Only the next edit's speed depends on it.
            Log.WarmUpFailed(_logger, ex);
        }
    }

    private void WarmUp()
    {
        var started = TimeProvider.System.GetTimestamp();
        try
        {
            _compiler.WarmUp();
            Log.WarmedUp(_logger, TimeProvider.System.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception ex)
        {
            Log.WarmUpFailed(_logger, ex);
        }
    }
}
