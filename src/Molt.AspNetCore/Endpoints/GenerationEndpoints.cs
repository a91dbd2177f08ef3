using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Molt.AspNetCore.Endpoints;

/// <summary>The routes one generation of a module mapped, and the request delegates built from them.</summary>
internal sealed class GenerationEndpoints
{
    private readonly EndpointDataSource[] _sources;
    private Dictionary<EndpointKey, RequestDelegate>? _delegates;

    private GenerationEndpoints(IModuleEndpoints instance, EndpointDataSource[] sources)
    {
        Instance = instance;
        _sources = sources;
    }

    /// <summary>Gets the module's instance the routes come from.</summary>
    public IModuleEndpoints Instance { get; }

    /// <summary>Runs the module's <see cref="IModuleEndpoints.MapEndpoints"/> against a builder of its own.</summary>
    public static GenerationEndpoints Map(IModuleEndpoints instance, IEndpointRouteBuilder host)
    {
        var builder = new GenerationRouteBuilder(host);
        instance.MapEndpoints(builder);
        return new GenerationEndpoints(instance, [.. builder.DataSources]);
    }

    /// <summary>
    /// Builds the endpoints (the framework builds each handler's request delegate here, so a handler
    /// it cannot bind throws here), each with its delegate replaced by <paramref name="wrap"/>'s.
    /// </summary>
    /// <param name="group">The route group the host mapped the module into, or <see langword="null"/>.</param>
    /// <param name="wrap">Makes the delegate the host serves from the route's key and the generation's own delegate.</param>
    public IReadOnlyList<Endpoint> Build(RouteGroupContext? group, Func<EndpointKey, RequestDelegate, RequestDelegate> wrap)
    {
        var endpoints = new List<Endpoint>();
        var delegates = new Dictionary<EndpointKey, RequestDelegate>();
        foreach (var source in _sources)
        {
            foreach (var endpoint in group is null ? source.Endpoints : source.GetGroupedEndpoints(group))
            {
                if (endpoint is not RouteEndpoint { RequestDelegate: { } inner } route)
                {
                    endpoints.Add(endpoint);
                    continue;
                }

                var key = EndpointKey.Of(route);
                delegates.TryAdd(key, inner);
                endpoints.Add(new RouteEndpoint(wrap(key, inner), route.RoutePattern, route.Order, route.Metadata, route.DisplayName));
            }
        }

        Volatile.Write(ref _delegates, delegates);
        return endpoints;
    }

    /// <summary>Finds this generation's own delegate for a route, building the routes first if they never were.</summary>
    public RequestDelegate? Find(EndpointKey key, RouteGroupContext? group)
    {
        if (Volatile.Read(ref _delegates) is null)
        {
            Build(group, (_, inner) => inner);
        }

        return _delegates!.GetValueOrDefault(key);
    }
}
