using System.Collections.Immutable;
using System.Reflection;
using Molt.Compilation;
using Molt.Modules;

namespace Molt.Loading;

/// <summary>
/// One loaded version of a module, in its own collectible load context. After retirement it
/// keeps only a weak reference to that context, so the engine itself never holds it alive.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The event's wait handle is never taken, so it holds no kernel object to dispose.")]
internal sealed class Generation
{
    private readonly ManualResetEventSlim _switched = new(initialState: true);
    private int _activeCalls;
    private volatile bool _quiescing;
    private readonly Lock _compiledGate = new();
    private bool _detached;

    public Generation(ModuleSource source, int number, CompiledModule compiled, ImmutableArray<string> dependencies, DateTimeOffset loadedAt)
    {
        Source = source;
        Number = number;
        Compiled = compiled;
        Dependencies = dependencies;
        LoadedAt = loadedAt;
    }

    public string Module => Source.Name;

    public int Number { get; }

    public ModuleSource Source { get; }

    /// <summary>Gets the image, kept while live so dependents can be compiled against it.</summary>
    public CompiledModule Compiled { get; private set; }

    public ImmutableArray<string> Dependencies { get; }

    public DateTimeOffset LoadedAt { get; }

    public string DisplayName => $"{Module}#{Number}";

    public ModuleLoadContext? LoadContext { get; private set; }

    public WeakReference? LoadContextReference { get; private set; }

    public Assembly? Assembly { get; private set; }

    public IReadOnlyDictionary<string, Export> Exports { get; private set; } = ImmutableDictionary<string, Export>.Empty;

    public IModule? Lifecycle { get; private set; }

    public ModuleContext? Context { get; set; }

    /// <summary>Gets or sets a value indicating whether the load hook completed (so the unload hook is owed).</summary>
    public bool LoadCompleted { get; set; }

    public int ActiveCalls => Volatile.Read(ref _activeCalls);

    public void Loaded(ModuleLoadContext context, Assembly assembly, IReadOnlyDictionary<string, Export> exports, IModule? lifecycle)
    {
        LoadContext = context;
        LoadContextReference = new WeakReference(context, trackResurrection: false);
        Assembly = assembly;
        Exports = exports;
        Lifecycle = lifecycle;
    }

    public void EnterCall() => Interlocked.Increment(ref _activeCalls);

    public void ExitCall() => Interlocked.Decrement(ref _activeCalls);

    /// <summary>Gets a value indicating whether the engine is switching away from this generation and holds new tracked calls.</summary>
    public bool IsQuiescing => _quiescing;

    /// <summary>Holds new tracked calls until <see cref="EndQuiesce"/>; the engine then waits for the running ones.</summary>
    public void BeginQuiesce()
    {
        _switched.Reset();
        _quiescing = true;

        // The other half of the handshake is the caller's interlocked increment before it reads the flag.
        Interlocked.MemoryBarrier();
    }

    public void EndQuiesce()
    {
        _quiescing = false;
        _switched.Set();
    }

    /// <summary>Blocks a caller held by a switch until the switch is over (bounded, in case the engine is gone).</summary>
    public void WaitForSwitch(TimeSpan timeout) => _switched.Wait(timeout);

    /// <summary>
    /// Gives a generation whose image came from the compilation cache the compilation of its
    /// sources, built in the background, so the module's next edit reuses it like any other.
    /// Ignored once the generation is retired or already has one.
    /// </summary>
    public void AttachCompilation(Microsoft.CodeAnalysis.Compilation compilation)
    {
        lock (_compiledGate)
        {
            if (!_detached && Compiled.Compilation is null)
            {
                // Created before the copy so the copy shares it: dependents' compilations reuse
                // their previous one only when they see the very same reference objects.
                _ = Compiled.Reference;
                Compiled = Compiled with { Compilation = compilation };
            }
        }
    }

    /// <summary>Drops every strong reference into the generation's code, leaving only the weak one.</summary>
    public ModuleLoadContext? Detach()
    {
        var context = LoadContext;
        LoadContext = null;
        Assembly = null;
        Exports = ImmutableDictionary<string, Export>.Empty;
        Lifecycle = null;
        Context = null;
        lock (_compiledGate)
        {
            _detached = true;
            Compiled = Compiled with { Compilation = null };
        }

        return context;
    }
}
