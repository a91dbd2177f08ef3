using Microsoft.AspNetCore.Routing;

namespace Molt.AspNetCore;

/// <summary>
/// Implemented by a class a module exports (<c>[Export]</c>) to serve HTTP routes. The host maps the
/// module once with <see cref="ModuleEndpointRouteBuilderExtensions.MapModuleEndpoints"/>; every
/// generation of the module maps its routes again, and the host serves the routes of the
/// generation that serves.
/// </summary>
/// <example>
/// <code>
/// [Export]
/// public sealed class Routes : IModuleEndpoints
/// {
///     public void MapEndpoints(IEndpointRouteBuilder endpoints)
///     {
///         endpoints.MapGet("/hello", () => "hello");
///     }
/// }
/// </code>
/// </example>
public interface IModuleEndpoints
{
    /// <summary>
    /// Maps the module's routes, with the same calls as in a program's <c>Program.cs</c>
    /// (<c>MapGet</c>, <c>MapPost</c>, <c>MapGroup</c>, ...). Called once per generation, when the host
    /// first needs its routes; the calls must not have other side effects.
    /// </summary>
    /// <param name="endpoints">Where to map them; its <see cref="IEndpointRouteBuilder.ServiceProvider"/> is the host's.</param>
    void MapEndpoints(IEndpointRouteBuilder endpoints);
}
