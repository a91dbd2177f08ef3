using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Molt.AspNetCore.Tests;

public sealed class ModuleMiddlewareTests
{
    private static string Stamp(string version, string blocked) => $$"""
        using Microsoft.AspNetCore.Http;

        [Export]
        public sealed class Stamp : IMiddleware
        {
            public async Task InvokeAsync(HttpContext context, RequestDelegate next)
            {
                if (context.Request.Path == "{{blocked}}")
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return;
                }

                context.Response.Headers["X-Stamp"] = "{{version}}";
                await next(context);
            }
        }
        """;

    [Fact]
    public async Task TheServingGenerationsMiddlewareRunsAndAnAbsentModulePassesRequestsOn()
    {
        await using var web = new WebWorkspace();
        web.Write("stamp.cs", Stamp("1", "/a"));
        await web.StartAsync(app =>
        {
            app.UseModuleMiddleware("stamp");
            app.MapGet("/{name}", (string name) => $"host {name}");
        });

        using (var response = await web.Client.GetAsync("/b"))
        {
            Assert.Equal("host b", await response.Content.ReadAsStringAsync());
            Assert.Equal("1", response.Headers.GetValues("X-Stamp").Single());
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await web.Client.GetAsync("/a")).StatusCode);

        var unloaded = ApiModule.Unloaded(web.Engine, "stamp", 1);
        web.Write("stamp.cs", Stamp("2", "/b"));
        await web.ReloadAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await web.Client.GetAsync("/b")).StatusCode);
        using (var response = await web.Client.GetAsync("/a"))
        {
            Assert.Equal("host a", await response.Content.ReadAsStringAsync());
            Assert.Equal("2", response.Headers.GetValues("X-Stamp").Single());
        }

        await unloaded;

        web.Delete("stamp.cs");
        await web.ReloadAsync();
        using (var response = await web.Client.GetAsync("/b"))
        {
            Assert.Equal("host b", await response.Content.ReadAsStringAsync());
            Assert.False(response.Headers.Contains("X-Stamp"));
        }
    }
}
