using Molt.EntryPoints;
using Molt.Loading;

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
        return new EntryPoint<TDelegate>(_table, index, module, name);
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
        var index = Register(new EntrySpec(module, name, typeof(TService), IsDelegate: false, fallback));
        return new ServiceEntryPoint<TService>(_table, index, module, name);
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
            lock (_specsGate)
            {
                var snapshot = _table.Snapshot;
                var (target, owner) = _live.TryGetValue(spec.Module, out var generation)
                    ? Resolve(spec, generation) is { Target: { } resolved } ? (resolved, generation) : Missing(spec, Resolve(spec, generation).Error)
                    : Missing(spec, $"module '{spec.Module}' is not loaded");
                _specs.Add(spec);
                _table.Publish(new EntrySnapshot([.. snapshot.Targets, target], [.. snapshot.Owners, owner]));
                return _specs.Count - 1;
            }
        }
        finally
        {
            _reloadGate.Release();
        }

        static (object, Generation?) Missing(EntrySpec spec, string? error) =>
            spec.Fallback is { } fallback ? (fallback, null) : throw new MoltEntryPointException($"Cannot create the {spec.Describe()}: {error}.");
    }

    /// <summary>Finds what a handle dispatches to in a generation, or says why it cannot.</summary>
    private static (object? Target, string? Error) Resolve(EntrySpec spec, Generation generation)
    {
        if (spec.IsDelegate)
        {
            if (!generation.Exports.TryGetValue(spec.Name!, out var export))
            {
                return (null, $"{generation.DisplayName} exports no '{spec.Name}'");
            }

            if (export.Method is not { } method)
            {
                return (null, $"'{spec.Name}' in {generation.DisplayName} is a {export.Describe()}; use GetService for exported classes");
            }

            try
            {
                return (method.CreateDelegate(spec.Type), null);
            }
            catch (ArgumentException)
            {
                return (null, $"'{spec.Name}' in {generation.DisplayName} is a {export.Describe()}, which does not match {Display(spec.Type)}");
            }
        }

        var candidates = generation.Exports.Values
            .Where(e => e.ServiceType is not null && (spec.Name is null || e.Name == spec.Name))
            .ToArray();
        var matching = candidates.Where(e => spec.Type.IsAssignableFrom(e.ServiceType)).ToArray();
        if (matching.Length != 1)
        {
            var what = spec.Name is null ? $"an exported class implementing {spec.Type.Name}" : $"an exported class '{spec.Name}' implementing {spec.Type.Name}";
            return (null, matching.Length == 0
                ? $"{generation.DisplayName} has no {what}{(candidates.Length > 0 ? $" (found: {string.Join(", ", candidates.Select(c => c.Describe()))})" : string.Empty)}"
                : $"{generation.DisplayName} has {matching.Length} exported classes implementing {spec.Type.Name}; name one");
        }

        try
        {
            return (matching[0].GetInstance(generation.Context!), null);
        }
        catch (Exception ex) when (ex is System.Reflection.TargetInvocationException or MissingMethodException or MemberAccessException)
        {
            var reason = ex is System.Reflection.TargetInvocationException { InnerException: { } inner } ? inner.ToString() : ex.Message;
            return (null, $"creating {matching[0].Describe()} of {generation.DisplayName} failed: {reason}");
        }
    }

    private static string Display(Type delegateType)
    {
        var invoke = delegateType.GetMethod("Invoke")!;
        return $"{delegateType.Name} ({string.Join(", ", invoke.GetParameters().Select(p => p.ParameterType.Name))}) : {invoke.ReturnType.Name}";
    }
}
