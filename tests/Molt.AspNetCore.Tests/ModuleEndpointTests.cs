using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Molt.AspNetCore.Tests;

public sealed class ModuleEndpointTests
{
    [Fact]
    public async Task NewRoutesServeAfterAReloadRemovedOnes404AndTheOldGenerationUnloads()
    {
        await using var web = new WebWorkspace();
        web.Write("api.cs", ApiModule.WithRoutes("""
            endpoints.MapGet("/hello", () => "hello 1");
            endpoints.MapGet("/old", () => "old");
            endpoints.MapGet("/thing/{name}", (string name) => new Thing(name, 1));
            """));
        await web.StartAsync(app => app.MapModuleEndpoints("api"));

        Assert.Equal("hello 1", await web.Client.GetStringAsync("/hello"));
        Assert.Equal("old", await web.Client.GetStringAsync("/old"));
        Assert.Equal(new ThingDto("x", 1), await web.Client.GetFromJsonAsync<ThingDto>("/thing/x"));
        Assert.Equal(HttpStatusCode.NotFound, (await web.Client.GetAsync("/new")).StatusCode);

        var unloaded = ApiModule.Unloaded(web.Engine, "api", 1);
        web.Write("api.cs", ApiModule.WithRoutes("""
            endpoints.MapGet("/hello", () => "hello 2");
            endpoints.MapPost("/new", (Thing thing) => thing with { Version = thing.Version + 1 });
            endpoints.MapGet("/thing/{name}", (string name) => new Thing(name, 2));
            """));
        await web.ReloadAsync();

        Assert.Equal("hello 2", await web.Client.GetStringAsync("/hello"));
        Assert.Equal(HttpStatusCode.NotFound, (await web.Client.GetAsync("/old")).StatusCode);
        Assert.Equal(new ThingDto("y", 2), await web.Client.GetFromJsonAsync<ThingDto>("/thing/y"));
        using var posted = await web.Client.PostAsJsonAsync("/new", new ThingDto("z", 5));
        Assert.Equal(new ThingDto("z", 6), await posted.Content.ReadFromJsonAsync<ThingDto>());

        // The first generation served JSON of its own record type and bound nothing of it; it must go.
        await unloaded;
    }

    [Fact]
    public async Task AModuleWhoseRoutesCannotBeBuiltFailsTheReloadWithWhereAndTheOldRoutesServe()
    {
        await using var web = new WebWorkspace();
        web.Write("api.cs", ApiModule.WithRoutes("""endpoints.MapGet("/hello", () => "hello 1");"""));
        await web.StartAsync(app => app.MapModuleEndpoints("api"));

        web.Write("api.cs", ApiModule.WithRoutes("""
            endpoints.MapGet("/hello", () => "hello 2");
            throw new InvalidOperationException("no routes today");
            """));
        var thrown = await web.ReloadAsync(succeeds: false);
        var error = Assert.Single(thrown.Errors);
        Assert.Equal(MoltDiagnosticIds.EntryPointPreparationFailed, error.Id);
        Assert.Contains("no routes today", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("api.cs", error.File, StringComparison.Ordinal);
        Assert.True(error.Line > 0);
        Assert.Equal("hello 1", await web.Client.GetStringAsync("/hello"));

        // The framework cannot bind two bodies: found while the reload builds the routes, not by a request.
        web.Write("api.cs", ApiModule.WithRoutes("""endpoints.MapPost("/hello", ([FromBody] Thing a, [FromBody] Thing b) => "two bodies");"""));
        var unbindable = await web.ReloadAsync(succeeds: false);
        Assert.Contains(unbindable.Errors, e => e.Id == MoltDiagnosticIds.EntryPointPreparationFailed);
        Assert.Equal("hello 1", await web.Client.GetStringAsync("/hello"));

        web.Write("api.cs", ApiModule.WithRoutes("""endpoints.MapGet("/hello", () => "hello 3");"""));
        await web.ReloadAsync();
        Assert.Equal("hello 3", await web.Client.GetStringAsync("/hello"));
    }

    [Fact]
    public async Task ConventionsOnTheModulesGroupApplyToEveryGenerationAndAnAbsentModuleMapsNothing()
    {
        await using var web = new WebWorkspace();
        web.Write("api.cs", ApiModule.WithRoutes("""endpoints.MapGet("/hello", () => "hello 1");"""));
        await web.StartAsync(app => app.MapModuleEndpoints("api").AddEndpointFilter(async (context, next) =>
        {
            context.HttpContext.Response.Headers["X-Host-Filter"] = "yes";
            return await next(context);
        }));

        using var first = await web.Client.GetAsync("/hello");
        Assert.Equal("yes", first.Headers.GetValues("X-Host-Filter").Single());

        web.Write("api.cs", ApiModule.WithRoutes("""endpoints.MapGet("/hello", () => "hello 2");"""));
        await web.ReloadAsync();
        using var second = await web.Client.GetAsync("/hello");
        Assert.Equal("hello 2", await second.Content.ReadAsStringAsync());
        Assert.Equal("yes", second.Headers.GetValues("X-Host-Filter").Single());

        web.Delete("api.cs");
        await web.ReloadAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await web.Client.GetAsync("/hello")).StatusCode);
    }

    private sealed record ThingDto(string Name, int Version);
}
