using Microsoft.AspNetCore.Http;

namespace WebSite;

/// <summary>
/// The contract between the permanent part (Kestrel, routing, static files) and the reloadable
/// handler module. It is a host type, so it keeps its identity across reloads.
/// </summary>
public interface IPageHandler
{
    /// <summary>Handles one request that is not a static file.</summary>
    /// <param name="context">The request; its <see cref="HttpContext.RequestServices"/> include <see cref="SiteStatus"/>.</param>
    /// <returns>A task that completes when the response is written.</returns>
    Task HandleAsync(HttpContext context);
}
