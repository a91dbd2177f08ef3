using Molt.EntryPoints;

namespace Molt;

public sealed partial class MoltEngine
{
    private static readonly AsyncLocal<bool> s_inReload = new();

    /// <summary>
    /// Gets a stable handle to the static method <paramref name="module"/> exports as
    /// <paramref name="name"/>. Create it once and keep it: it follows every reload.
    /// </summary>
    /// <typeparam name="TDelegate">The delegate type, defined by the host or the framework.</typeparam>
    /// <param name="module">The module's name.</param>
    /// <param name="name">The export's name.</param>
    /// <param name="fallback">
    /// What the handle calls while the module or export is absent (racket-reloadable's
    /// <c>on-absent</c>); without one, a reload that removes the export fails.
    /// </param>
    /// <returns>The handle.</returns>
    /// <exception cref="MoltEntryPointException">The export is absent and there is no fallback, or its signature does not match <typeparamref name="TDelegate"/>.</exception>
    /// <exception cref="InvalidOperationException">Called from a module's load hook, or <typeparamref name="TDelegate"/> is defined by a module.</exception>
    public EntryPoint<TDelegate> GetEntryPoint<TDelegate>(string module, string name, TDelegate? fallback = null)
        where TDelegate : Delegate
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(module);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var index = Register(new EntrySpec(module, name, typeof(TDelegate), IsDelegate: true, fallback));
        return new EntryPoint<TDelegate>(_entries.Table, index, module, name);
    }

    /// <summary>
    /// Gets a stable handle to the instance of a class <paramref name="module"/> exports that
    /// implements <typeparamref name="TService"/>. Create it once and keep it: it follows every reload.
    /// </summary>
    /// <typeparam name="TService">The interface, defined by the host or a contract assembly.</typeparam>
    /// <param name="module">The module's name.</param>
    /// <param name="name">The export's name, or <see langword="null"/> for the module's one exported class implementing <typeparamref name="TService"/>.</param>
    /// <param name="fallback">What the handle returns while the module or export is absent.</param>
    /// <returns>The handle.</returns>
    /// <exception cref="MoltEntryPointException">No (or more than one) matching export, and no fallback.</exception>
    /// <exception cref="InvalidOperationException">Called from a module's load hook, or <typeparamref name="TService"/> is defined by a module.</exception>
    public ServiceEntryPoint<TService> GetService<TService>(string module, string? name = null, TService? fallback = null)
        where TService : class
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(module);
        var spec = new EntrySpec(module, name, typeof(TService), IsDelegate: false, fallback);
        var index = Register(spec);
        return new ServiceEntryPoint<TService>(_entries.Table, index, module, name, spec.Preparers);
    }

    private int Register(EntrySpec spec)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (spec.Type.Assembly.IsCollectible)
        {
            throw new InvalidOperationException(
                $"{spec.Type.FullName} is defined by a module; entry point types must come from the host or a contract assembly so they keep their identity across reloads.");
        }

        if (s_inReload.Value)
        {
            throw new InvalidOperationException("Entry points cannot be created while a reload runs (from a module's load hook); create them in the host.");
        }

        // Waits for a running reload, so the new handle is resolved against the generation that serves.
        _reloadGate.Wait();
        try
        {
            return _entries.Register(spec, _modules.Current.GetValueOrDefault(spec.Module));
        }
        finally
        {
            _reloadGate.Release();
        }
    }
}
