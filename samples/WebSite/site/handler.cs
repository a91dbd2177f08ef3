using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using WebSite;

// The reloadable request handler. Edit it while the site runs and reload the page: the next
// request runs the new code, the counter keeps its value.

[Export]
public sealed class Handler(IModuleContext context) : IPageHandler
{
    private const string Greeting = "Hello from a reloadable handler";

    // Owned by the host: survives every reload (racket-reloadable's make-persistent-state).
    private readonly IPersistentState<int> _counter = context.State("counter", () => 0);

    public async Task HandleAsync(HttpContext http)
    {
        switch (http.Request.Method, http.Request.Path.Value)
        {
            case ("POST", "/increment"):
                _counter.Update(n => n + 1);
                SeeOther(http);
                return;
            case ("POST", "/decrement"):
                _counter.Update(n => n - 1);
                SeeOther(http);
                return;
            case ("GET", "/"):
                await PageAsync(http);
                return;
            default:
                http.Response.StatusCode = StatusCodes.Status404NotFound;
                await http.Response.WriteAsync("not found");
                return;
        }
    }

    // Post/redirect/get: the browser's reload button repeats the GET, not the POST.
    private static void SeeOther(HttpContext http)
    {
        http.Response.StatusCode = StatusCodes.Status303SeeOther;
        http.Response.Headers.Location = "/";
    }

    private async Task PageAsync(HttpContext http)
    {
        // ?delay=ms holds the request inside this generation, to watch a reload happen under it.
        if (int.TryParse(http.Request.Query["delay"], CultureInfo.InvariantCulture, out var delay) && delay > 0)
        {
            await Task.Delay(Math.Min(delay, 30_000), http.RequestAborted);
        }

        var status = http.RequestServices.GetRequiredService<SiteStatus>();
        http.Response.ContentType = "text/html; charset=utf-8";
        await http.Response.WriteAsync($"""
            <!DOCTYPE html>
            <html>
            <head><title>Molt web site</title><link rel="stylesheet" href="/site.css"></head>
            <body>
            <h1>{WebUtility.HtmlEncode(Greeting)}</h1>
            <p class="counter">count: {_counter.Value}</p>
            <form method="post" action="/increment"><button>+1</button></form>
            <form method="post" action="/decrement"><button>-1</button></form>
            <p class="reloaded">last reloaded: {status.LastReload:yyyy-MM-dd HH:mm:ss.fff} UTC (generation {status.Generation}, handler generation {context.Generation})</p>
            </body>
            </html>
            """);
    }
}
