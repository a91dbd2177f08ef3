using Microsoft.AspNetCore.Http;

namespace WebSite;

/// <summary>Serves while the handler module is absent (deleted, or renamed away): the site stays up and says so.</summary>
internal sealed class UnavailablePage : IPageHandler
{
    public Task HandleAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        return context.Response.WriteAsync("The handler module is not loaded; put site/handler.cs back.");
    }
}
