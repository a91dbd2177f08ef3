using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Molt.Hosting;

/// <summary>Adds Molt's health check to a host's health checks.</summary>
public static class MoltHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds the check <paramref name="name"/>: healthy while the last reload succeeded and no retired
    /// generation leaked, degraded after a failed reload or a leak (with the reason), unhealthy while
    /// nothing serves. Needs <see cref="MoltServiceCollectionExtensions.AddMolt(IServiceCollection, Action{MoltHostingOptions})"/>.
    /// </summary>
    /// <param name="builder">The host's health checks.</param>
    /// <param name="name">The check's name.</param>
    /// <param name="tags">Tags to filter checks by (for example <c>live</c>, <c>ready</c>).</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    public static IHealthChecksBuilder AddMolt(this IHealthChecksBuilder builder, string name = "molt", IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(new HealthCheckRegistration(name, sp => new MoltHealthCheck(sp.GetRequiredService<MoltEngine>()), failureStatus: null, tags));
    }
}
