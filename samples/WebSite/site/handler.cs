using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Molt.AspNetCore;
using WebSite;

// The reloadable part of the site: its routes. Edit them while the site runs and reload the page:
// the next request runs the new code, the counter keeps its value. Add a route and it answers at
// once; remove one and it answers 404.

[Export]
public sealed class Handler(IModuleContext context) : IModuleEndpoints
{
    private const string Greeting = "Hello from a reloadable handler";

    // Owned by the host: survives every reload (racket-reloadable's make-persistent-state).
    private readonly IPersistentState<int> _counter = context.State("counter", () => 0);

    public void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", PageAsync);

        endpoints.MapPost("/increment", (HttpResponse response) =>
        {
            _counter.Update(n => n + 1);
            SeeOther(response);
        });
        endpoints.MapPost("/decrement", (HttpResponse response) =>
        {
            _counter.Update(n => n - 1);
            SeeOther(response);
        });
    }

    // Post/redirect/get: the browser's reload button repeats the GET, not the POST.
    private static void SeeOther(HttpResponse response)
    {
        response.StatusCode = StatusCodes.Status303SeeOther;
        response.Headers.Location = "/";
    }

    private async Task<IResult> PageAsync(int? delay, SiteStatus status, CancellationToken aborted)
    {
        // ?delay=ms holds the request inside this generation, to watch a reload happen under it.
        if (delay > 0)
        {
            await Task.Delay(Math.Min(delay.Value, 30_000), aborted);
        }

        return Results.Content($"""
            <!DOCTYPE html>
            <html>
            <head><title>Molt web site</title><link rel="stylesheet" href="/site.css"></head>
            <body>
            <h1>{WebUtility.HtmlEncode(Greeting)}</h1>
            <p class="counter">count: {_counter.Value}</p>
            <form method="post" action="/increment"><button>+1</button></form>
            <form method="post" action="/decrement"><button>-1</button></form>
            <p class="reloaded">last reloaded: {status.LastReload:yyyy-MM-dd HH:mm:ss.fff} UTC (generation {status.Generation}, handler generation {context.Generation})</p>
            <p class="process">served by process {status.ProcessId}</p>
            </body>
            </html>
            """, "text/html; charset=utf-8");
    }
}
