using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Molt.AspNetCore.Endpoints;

namespace Molt.AspNetCore;

/// <summary>Serves HTTP routes that reloadable modules map.</summary>
public static class ModuleEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Serves the routes that <paramref name="module"/>'s exported <see cref="IModuleEndpoints"/> maps,
    /// as they are in the generation that serves: after a reload the new routes serve and removed
    /// ones answer 404, while requests already running finish in the generation they started in
    /// (each request is a tracked call, so the old generation is unloaded after its last one).
    /// A new generation's routes are built before the switch: if its <see cref="IModuleEndpoints.MapEndpoints"/>
    /// throws, or a handler cannot be bound, the reload fails (MOLT032) and the old routes keep serving.
    /// While the module is absent it maps no routes.
    /// </summary>
    /// <param name="endpoints">The host's route builder (a <c>WebApplication</c>, or a group).</param>
    /// <param name="module">The module's name.</param>
    /// <param name="name">The export's name, or <see langword="null"/> for the module's one exported <see cref="IModuleEndpoints"/>.</param>
    /// <returns>A group holding the module's routes: conventions added to it (<c>RequireAuthorization</c>, filters, metadata) apply to every generation's routes.</returns>
    /// <exception cref="InvalidOperationException">Molt is not registered (<c>services.AddMolt(...)</c>).</exception>
    public static RouteGroupBuilder MapModuleEndpoints(this IEndpointRouteBuilder endpoints, string module, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrWhiteSpace(module);
        var engine = endpoints.ServiceProvider.GetRequiredService<MoltEngine>();
        var group = endpoints.MapGroup(string.Empty);
        ((IEndpointRouteBuilder)group).DataSources.Add(new ModuleEndpointDataSource(engine, module, name, endpoints));
        return group;
    }
}
