using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Primitives;

namespace Molt.AspNetCore.Endpoints;

/// <summary>
/// The routes of one module, as the host's routing sees them: those of the generation that serves.
/// A new generation's routes are built during the reload, before the switch (a handler the framework
/// cannot bind, or a <see cref="IModuleEndpoints.MapEndpoints"/> that throws, fails the reload and
/// the old routes keep serving); the switch makes routing rebuild its matcher at once, so nothing
/// of the old generation stays referenced once its last request has finished.
/// </summary>
/// <remarks>
/// Every request runs as a tracked call of the generation it is served by. A request matched against
/// the old routes that starts after the switch is served by the new generation's route with the same
/// pattern and methods, or gets a 404 when the new generation removed it: what a restart would do.
/// </remarks>
internal sealed class ModuleEndpointDataSource : EndpointDataSource, IDisposable
{
    private readonly MoltEngine _engine;
    private readonly string _module;
    private readonly IEndpointRouteBuilder _host;
    private readonly ServiceEntryPoint<IModuleEndpoints> _entry;
    private readonly Lock _gate = new();
    private GenerationEndpoints? _serving;
    private GenerationEndpoints? _prepared;
    private RouteGroupContext? _group;
    private CancellationTokenSource _changes = new();

    public ModuleEndpointDataSource(MoltEngine engine, string module, string? name, IEndpointRouteBuilder host)
    {
        (_engine, _module, _host) = (engine, module, host);
        _entry = engine.GetService<IModuleEndpoints>(module, name, NoEndpoints.Instance);
        _entry.AddPreparer(Prepare);
        engine.Switched += OnSwitched;
        engine.ReloadFailed += OnReloadFailed;
    }

    public override IReadOnlyList<Endpoint> Endpoints => Build(null);

    public override IReadOnlyList<Endpoint> GetGroupedEndpoints(RouteGroupContext context) => Build(context);

    public override IChangeToken GetChangeToken()
    {
        lock (_gate)
        {
            return new CancellationChangeToken(_changes.Token);
        }
    }

    public void Dispose()
    {
        _engine.Switched -= OnSwitched;
        _engine.ReloadFailed -= OnReloadFailed;
        _changes.Dispose();
    }

    private IReadOnlyList<Endpoint> Build(RouteGroupContext? group)
    {
        if (group is not null)
        {
            Volatile.Write(ref _group, group);
        }

        var generation = For(_entry.Current);
        return generation.Build(group, (key, inner) => context => ServeAsync(context, generation.Instance, key, inner));
    }

    private async Task ServeAsync(HttpContext context, IModuleEndpoints instance, EndpointKey key, RequestDelegate inner)
    {
        using var call = _entry.Enter();
        var handler = ReferenceEquals(call.Target, instance) ? inner : For(call.Target).Find(key, Volatile.Read(ref _group));
        if (handler is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        await handler(context).ConfigureAwait(false);
    }

    private GenerationEndpoints For(IModuleEndpoints instance)
    {
        lock (_gate)
        {
            if (_serving?.Instance != instance)
            {
                _serving = _prepared?.Instance == instance ? _prepared : GenerationEndpoints.Map(instance, _host);
                _prepared = null;
            }

            return _serving;
        }
    }

    /// <summary>Maps and builds a new generation's routes, before the switch: what throws here fails the reload.</summary>
    private void Prepare(IModuleEndpoints instance)
    {
        var generation = GenerationEndpoints.Map(instance, _host);
        generation.Build(Volatile.Read(ref _group), (_, inner) => inner);
        lock (_gate)
        {
            _prepared = generation;
        }
    }

    private void OnSwitched(object? sender, SwitchedEventArgs e)
    {
        if (!e.Modules.Contains(_module, StringComparer.Ordinal))
        {
            return;
        }

        CancellationTokenSource changed;
        lock (_gate)
        {
            _serving = null;
            changed = _changes;
            _changes = new CancellationTokenSource();
        }

        // Routing rebuilds its matcher from the new routes right here, on the reloading thread.
        changed.Cancel();
        changed.Dispose();
    }

    /// <summary>A failed reload's generation is discarded: its prepared routes must not keep it in memory.</summary>
    private void OnReloadFailed(object? sender, ReloadEventArgs e)
    {
        lock (_gate)
        {
            _prepared = null;
        }
    }
}
