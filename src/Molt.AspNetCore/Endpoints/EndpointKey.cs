using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Molt.AspNetCore.Endpoints;

/// <summary>
/// What makes two generations' endpoints "the same route": the route pattern and the HTTP methods.
/// A request matched against one generation's routes and served after the next switch is served
/// by the new generation's endpoint with the same key (or gets a 404 if the route was removed).
/// </summary>
internal readonly record struct EndpointKey(string Pattern, string Methods)
{
    public static EndpointKey Of(Endpoint endpoint)
    {
        var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [];
        var pattern = endpoint is RouteEndpoint route ? route.RoutePattern.RawText ?? string.Empty : endpoint.DisplayName ?? string.Empty;
        return new EndpointKey(pattern, string.Join(',', methods.Order(StringComparer.OrdinalIgnoreCase)));
    }
}
