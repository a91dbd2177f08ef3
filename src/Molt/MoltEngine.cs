using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Molt.Compilation;
using Molt.EntryPoints;
using Molt.Loading;
using Molt.Modules;
using Molt.Retirement;
using Molt.State;

namespace Molt;

/// <summary>
/// Hosts reloadable modules: loads them, reloads them as transactions, and gives the permanent
/// part of the program stable entry points into them.
/// </summary>
/// <remarks>
/// A reload compiles, loads and initialises the new generation first; only if all of that
/// succeeds does it switch every entry point at once and retire the old generation. A failed
/// reload changes nothing. Reloads run one at a time; requests that arrive during one coalesce
/// into a single follow-up reload.
/// </remarks>
public sealed partial class MoltEngine : IAsyncDisposable
{
    private readonly MoltOptions _options;
    private readonly ILogger _logger;
    private readonly IServiceProvider _services;
    private readonly ModuleScanner _scanner;
    private readonly ModuleCompiler _compiler;
    private readonly EntryTable _table = new();
    private readonly List<EntrySpec> _specs = [];
    private readonly Lock _specsGate = new();
    private readonly UnloadVerifier _verifier;
    private readonly MoltMetrics _metrics;
    private readonly StoreStateAccess _stateAccess;
    private readonly List<ModuleLoadContext> _keptForever = [];
    private readonly Task _warmUp;

    // Owned by the reload in progress (reloads run one at a time).
    private ImmutableDictionary<string, Generation> _live = ImmutableDictionary<string, Generation>.Empty.WithComparers(StringComparer.Ordinal);
    private readonly HashSet<string> _everLoaded = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _generationNumbers = new(StringComparer.Ordinal);
    private int _generation;
    private ReloadResult? _lastResult;
    private (string Fingerprint, ReloadResult Result)? _lastCompileFailure;
    private Task _priming = Task.CompletedTask;
    private readonly CancellationTokenSource _stopPriming = new();
    private int _started;
    private int _disposed;

    /// <summary>Creates an engine. Nothing loads until <see cref="StartAsync"/>.</summary>
    /// <param name="options">The options; validated here.</param>
    /// <param name="loggerFactory">Where to log; <see langword="null"/> for no logging.</param>
    /// <exception cref="InvalidOperationException">The options are invalid (for example, no modules).</exception>
    public MoltEngine(MoltOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Molt");
        _services = options.Services ?? EmptyServiceProvider.Instance;
        _scanner = new ModuleScanner(options);
        _compiler = new ModuleCompiler(
            options,
            options.CompilationCachePath is { } cache ? CompilationCache.Open(cache, options.CompilationCacheMaxBytes, _logger) : null);
        _stateAccess = new StoreStateAccess(new StateStore());
        _verifier = new UnloadVerifier(options, OnCollected, OnLeaked);
        _metrics = new MoltMetrics(() => _live.Count, () => _verifier.Alive.Count);
        // With a compilation cache the start may not compile at all, and a throwaway compile would
        // only compete with it for the cores: modules loaded from the cache are primed afterwards.
        _warmUp = options.WarmUpCompiler && !_compiler.HasCache ? Task.Run(WarmUp) : Task.CompletedTask;
    }

    /// <summary>Raised when a reload starts.</summary>
    public event EventHandler<ReloadingEventArgs>? Reloading;

    /// <summary>Raised after a successful reload (also when it found nothing to change).</summary>
    public event EventHandler<ReloadEventArgs>? Reloaded;

    /// <summary>Raised after a failed reload; the previous generation keeps serving.</summary>
    public event EventHandler<ReloadEventArgs>? ReloadFailed;

    /// <summary>Raised when a retired generation has been collected.</summary>
    public event EventHandler<GenerationEventArgs>? GenerationUnloaded;

    /// <summary>Raised when a retired generation is still alive after the verifier's bounded collections.</summary>
    public event EventHandler<GenerationEventArgs>? GenerationLeaked;

    /// <summary>Gets the engine's generation: one more per successful reload that changed something.</summary>
    public int Generation => Volatile.Read(ref _generation);

    /// <summary>Gets the options the engine runs with.</summary>
    public MoltOptions Options => _options;

    /// <summary>Gets what is loaded now.</summary>
    public MoltManifest Manifest
    {
        get
        {
            _verifier.Recheck();
            var live = _live;
            var modules = Order(live.Values, live)
                .Select(g => new ModuleInfo(
                    g.Module,
                    g.Source.Kind,
                    g.Number,
                    g.Source.Hash,
                    [.. g.Source.FilePaths],
                    g.LoadedAt,
                    [.. g.Dependencies],
                    [.. g.Exports.Keys.Order(StringComparer.Ordinal)]))
                .ToArray();
            return new MoltManifest(Generation, modules, [.. _verifier.Alive.Select(r => r.ToInfo())], Volatile.Read(ref _lastResult));
        }
    }

    /// <summary>
    /// Loads every module for the first time.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting; the load itself runs to completion or failure.</param>
    /// <returns>The result of the first load.</returns>
    /// <exception cref="MoltReloadException">The first load failed: no generation is serving. Its result carries the diagnostics.</exception>
    /// <exception cref="InvalidOperationException">The engine was already started.</exception>
    public async Task<ReloadResult> StartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("The engine is already started.");
        }

        var restore = RestoreSnapshot();
        var result = await ReloadAsync("start", cancellationToken).ConfigureAwait(false);
        if (restore.Count > 0)
        {
            result = result with { Diagnostics = [.. restore, .. result.Diagnostics] };
            Volatile.Write(ref _lastResult, result);
        }

        return result.Succeeded ? result : throw new MoltReloadException(result);
    }

    /// <summary>Waits until the background verifier has settled every retired generation (collected or leaked). For tests and tools.</summary>
    /// <returns>A task that completes when the verifier is idle.</returns>
    public Task WhenUnloadsVerifiedAsync() => _verifier.WhenIdleAsync();

    /// <summary>Gets the background work that builds the compilations of modules loaded from the compilation cache (for tests).</summary>
    internal Task Priming => _priming;

    /// <summary>Gets the compilation a live module's next edit would reuse (for tests).</summary>
    internal Microsoft.CodeAnalysis.Compilation? CompilationOf(string module) =>
        _live.TryGetValue(module, out var generation) ? generation.Compiled.Compilation : null;

    /// <summary>Retires every generation (unload hooks run) and stops the engine.</summary>
    /// <returns>A task that completes when every generation is retired.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Priming only speeds up later edits; a stopping engine has none.
        await _stopPriming.CancelAsync().ConfigureAwait(false);

        await _reloadGate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_options.StateSnapshotPath is { } path && _options.SnapshotOnStop && _live.Count > 0)
            {
                try
                {
                    WriteSnapshot(path);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    Log.SnapshotFailed(_logger, path, ex);
                }
            }

            var live = _live;
            _live = _live.Clear();
            SwapHooks([.. live.Values], []);
            foreach (var generation in Order(live.Values, live).Reverse())
            {
                await RetireAsync(generation, discarded: false, []).ConfigureAwait(false);
            }
        }
        finally
        {
            _reloadGate.Release();
        }

        await _warmUp.ConfigureAwait(false);
        await _priming.ConfigureAwait(false);
        _stopPriming.Dispose();
        _stateAccess.Store.Dispose();
        _metrics.Dispose();
    }

    /// <summary>
    /// In the background, builds the compilations of generations whose images came from the
    /// compilation cache (dependencies first), so their next edit costs what it would have if they
    /// had been compiled: the compile reuses bound references and runs already-jitted compiler code.
    /// </summary>
    private async Task PrimeAsync(Task previous, Generation[] generations, ImmutableDictionary<string, Generation> live)
    {
        await previous.ConfigureAwait(false);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            await LargeStack.RunAsync(() =>
            {
                foreach (var generation in generations)
                {
                    if (_compiler.Parse(generation.Source, []) is not { } parsed
                        || generation.Dependencies.Any(d => !live.ContainsKey(d)))
                    {
                        continue;
                    }

                    var dependencies = generation.Dependencies.Select(d => live[d].Compiled).ToArray();
                    generation.AttachCompilation(_compiler.Prime(generation.Source, parsed, dependencies, _stopPriming.Token));
                }

                return true;
            }).ConfigureAwait(false);
            Log.Primed(_logger, generations.Length, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
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

    private void WarmUp()
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            _compiler.WarmUp();
            Log.WarmedUp(_logger, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception ex)
        {
            Log.WarmUpFailed(_logger, ex);
        }
    }

    private void OnCollected(RetiredGeneration retired)
    {
        Log.GenerationCollected(_logger, retired.Module, retired.Generation);
        Raise(GenerationUnloaded, new GenerationEventArgs(retired.Module, retired.Generation, "collected"), nameof(GenerationUnloaded));
    }

    private void OnLeaked(RetiredGeneration retired, string message)
    {
        Log.GenerationLeaked(_logger, retired.Module, retired.Generation, message);
        _metrics.Leaked();
        Raise(GenerationLeaked, new GenerationEventArgs(retired.Module, retired.Generation, message), nameof(GenerationLeaked));
    }

    /// <summary>Raises an event, isolating the engine from handlers that throw.</summary>
    private void Raise<T>(EventHandler<T>? handler, T args, string name)
        where T : EventArgs
    {
        if (handler is null)
        {
            return;
        }

        foreach (var single in handler.GetInvocationList().Cast<EventHandler<T>>())
        {
            try
            {
                single(this, args);
            }
            catch (Exception ex)
            {
                Log.EventHandlerFailed(_logger, name, ex);
            }
        }
    }
}
