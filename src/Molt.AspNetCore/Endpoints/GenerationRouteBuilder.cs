using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Molt.AspNetCore.Endpoints;

/// <summary>
/// What one generation's <see cref="IModuleEndpoints.MapEndpoints"/> maps into: it collects the data
/// sources that <c>MapGet</c> and friends add, and otherwise behaves like the host's route builder.
/// </summary>
internal sealed class GenerationRouteBuilder(IEndpointRouteBuilder host) : IEndpointRouteBuilder
{
    public IServiceProvider ServiceProvider => host.ServiceProvider;

    public ICollection<EndpointDataSource> DataSources { get; } = [];

    public IApplicationBuilder CreateApplicationBuilder() => host.CreateApplicationBuilder();
}
