using Microsoft.AspNetCore.Routing;

namespace Molt.AspNetCore.Endpoints;

/// <summary>What a module's routes are while the module is absent (not loaded yet, or removed): none.</summary>
internal sealed class NoEndpoints : IModuleEndpoints
{
    public static readonly NoEndpoints Instance = new();

    public void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
    }
}
