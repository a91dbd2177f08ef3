using System.Collections.Immutable;
using System.Reflection;
using Molt.Compilation;
using Molt.Modules;

namespace Molt.Loading;

/// <summary>
/// One loaded version of a module, in its own collectible load context; built only once loaded, so
/// what it is (image, assembly, exports, context) never changes. At retirement <see cref="Detach"/>
/// drops every strong reference into its code, keeping only a weak one to its load context, so the
/// engine itself never holds a retired generation alive.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The event's wait handle is never taken, so it holds no kernel object to dispose.")]
internal sealed class Generation
{
    private readonly ManualResetEventSlim _switched = new(initialState: true);
    private readonly Lock _gate = new();
    private LoadedImage? _image;
    private ModuleContext? _context;
    private int _activeCalls;
    private volatile bool _quiescing;
    private volatile bool _initialised;

    public Generation(ModuleBuild build, LoadedImage image, ModuleContext context)
    {
        Build = build;
        Compiled = build.Compiled;
        _image = image;
        _context = context;
        Index = image.Index;
        LoadContextReference = new WeakReference(image.LoadContext, trackResurrection: false);
    }

    /// <summary>Gets what the generation was loaded from.</summary>
    public ModuleBuild Build { get; }

    public string Module => Build.Module;

    public int Number => Build.Number;

    public ModuleSource Source => Build.Source;

    /// <summary>Gets the image, kept while live so dependents can be compiled against it.</summary>
    public CompiledModule Compiled { get; private set; }

    public ImmutableArray<string> Dependencies => Build.Dependencies;

    public DateTimeOffset LoadedAt => Build.CreatedAt;

    public string DisplayName => Build.DisplayName;

    public WeakReference LoadContextReference { get; }

    /// <summary>Gets what the image's metadata says the engine looks for (tokens only: kept after retirement, it holds no code).</summary>
    public ImageIndex Index { get; }

    public Assembly Assembly => Image.Assembly;

    /// <summary>Gets the exports; empty once retired.</summary>
    public IReadOnlyDictionary<string, Export> Exports => _image?.Exports ?? ImmutableDictionary<string, Export>.Empty;

    /// <summary>Gets the module's <see cref="IModule"/> instance; <see langword="null"/> if it has none, or once retired.</summary>
    public IModule? Lifecycle => _image?.Lifecycle;

    /// <summary>Gets the generation's context.</summary>
    /// <exception cref="InvalidOperationException">The generation is retired.</exception>
    public ModuleContext Context => _context ?? throw Retired();

    /// <summary>Gets a value indicating whether the generation was retired (<see cref="Detach"/>).</summary>
    public bool IsRetired => Volatile.Read(ref _image) is null;

    /// <summary>Gets a value indicating whether its load hook completed, so its unload hook is owed.</summary>
    public bool IsInitialised => _initialised;

    public int ActiveCalls => Volatile.Read(ref _activeCalls);

    /// <summary>Gets a value indicating whether the engine is switching away from this generation and holds new tracked calls.</summary>
    public bool IsQuiescing => _quiescing;

    private LoadedImage Image => _image ?? throw Retired();

    /// <summary>Notes that the load hook completed: from now on the unload hook is owed.</summary>
    public void MarkInitialised() => _initialised = true;

    public void EnterCall() => Interlocked.Increment(ref _activeCalls);

    public void ExitCall() => Interlocked.Decrement(ref _activeCalls);

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
        lock (_gate)
        {
            if (_image is not null && Compiled.Compilation is null)
            {
                // Created before the copy so the copy shares it: dependents' compilations reuse
                // their previous one only when they see the very same reference objects.
                _ = Compiled.Reference;
                Compiled = Compiled with { Compilation = compilation };
            }
        }
    }

    /// <summary>Drops every strong reference into the generation's code, leaving only the weak one; returns the load context to unload.</summary>
    public ModuleLoadContext? Detach()
    {
        lock (_gate)
        {
            var context = _image?.LoadContext;
            _image = null;
            _context = null;
            Compiled = Compiled with { Compilation = null };
            return context;
        }
    }

    private InvalidOperationException Retired() => new($"{DisplayName} is retired.");
}
