using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Molt.AspNetCore;

/// <summary>Puts middleware from a reloadable module into the host's request pipeline.</summary>
public static class ModuleMiddlewareExtensions
{
    /// <summary>
    /// Adds, at this point of the pipeline, the <see cref="IMiddleware"/> that <paramref name="module"/>
    /// exports, as it is in the generation that serves. Each request that passes is a tracked call of
    /// that generation until the rest of the pipeline returns to it, so a request keeps the
    /// middleware it started with and the old generation is unloaded after its last request. While
    /// the module (or the export) is absent, requests pass straight to the next middleware.
    /// </summary>
    /// <param name="app">The host's application builder.</param>
    /// <param name="module">The module's name.</param>
    /// <param name="name">The export's name, or <see langword="null"/> for the module's one exported <see cref="IMiddleware"/>.</param>
    /// <returns><paramref name="app"/>.</returns>
    /// <exception cref="InvalidOperationException">Molt is not registered (<c>services.AddMolt(...)</c>).</exception>
    public static IApplicationBuilder UseModuleMiddleware(this IApplicationBuilder app, string module, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentException.ThrowIfNullOrWhiteSpace(module);
        var engine = app.ApplicationServices.GetRequiredService<MoltEngine>();
        var middleware = engine.GetService<IMiddleware>(module, name, PassThrough.Instance);
        return app.Use(async (context, next) =>
        {
            using var call = middleware.Enter();
            await call.Target.InvokeAsync(context, next).ConfigureAwait(false);
        });
    }

    /// <summary>The middleware while the module is absent: none.</summary>
    private sealed class PassThrough : IMiddleware
    {
        public static readonly PassThrough Instance = new();

        public Task InvokeAsync(HttpContext context, RequestDelegate next) => next(context);
    }
}
