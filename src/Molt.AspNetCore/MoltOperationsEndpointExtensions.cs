using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Molt.Control;
using Molt.Hosting;

namespace Molt.AspNetCore;

/// <summary>Molt's status and reload over HTTP, behind the host's authorization.</summary>
public static class MoltOperationsEndpointExtensions
{
    /// <summary>
    /// Maps <c>GET {prefix}/status</c> (what <c>molt status --json</c> prints: the generation, every
    /// module, the last reload, retired generations still in memory) and <c>POST {prefix}/reload</c>
    /// (a reload; 200 with the reload's result when it succeeded, 422 with it when it failed), both
    /// as the control channel's typed records (<see cref="ControlJson"/>). Both require an
    /// authorized user (<c>RequireAuthorization()</c>, the host's default policy): they are never
    /// public by accident, and a host without authorization fails such requests loudly. Add a
    /// policy of your own on the returned group (<c>.RequireAuthorization("ops")</c>).
    /// </summary>
    /// <param name="endpoints">The host's route builder.</param>
    /// <param name="prefix">Where to map them; <c>/molt</c> unless told.</param>
    /// <returns>The group holding both endpoints.</returns>
    /// <exception cref="InvalidOperationException">Molt is not registered (<c>services.AddMolt(...)</c>).</exception>
    public static RouteGroupBuilder MapMoltOperations(this IEndpointRouteBuilder endpoints, string prefix = "/molt")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        var engine = endpoints.ServiceProvider.GetRequiredService<MoltEngine>();
        var group = endpoints.MapGroup(prefix);
        group.MapGet("/status", () => Results.Json(ControlReplies.Status(engine.Manifest, Environment.ProcessId), ControlJson.StatusReply));
        group.MapPost("/reload", async (CancellationToken aborted) =>
        {
            // The reload goes on if the client goes away: it is queued like any other trigger's.
            var result = await engine.ReloadAsync("http", aborted).ConfigureAwait(false);
            return Results.Json(ControlReplies.Reload(result), ControlJson.ReloadReply,
                statusCode: result.Succeeded ? StatusCodes.Status200OK : StatusCodes.Status422UnprocessableEntity);
        });
        group.RequireAuthorization();
        return group;
    }
}
