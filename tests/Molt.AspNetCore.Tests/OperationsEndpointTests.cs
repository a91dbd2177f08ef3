using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Molt.Control;

namespace Molt.AspNetCore.Tests;

public sealed class OperationsEndpointTests
{
    [Fact]
    public async Task StatusAndReloadAnswerOnlyAuthorizedUsersWithTheControlChannelsRecords()
    {
        await using var web = new WebWorkspace();
        web.Write("api.cs", ApiModule.WithRoutes("""endpoints.MapGet("/hello", () => "hello 1");"""));
        await web.StartAsync(
            app =>
            {
                app.UseAuthentication();
                app.UseAuthorization();
                app.MapModuleEndpoints("api");
                app.MapMoltOperations().RequireAuthorization(policy => policy.RequireRole("ops"));
            },
            services =>
            {
                services.AddAuthentication(HeaderAuthentication.Name).AddScheme<AuthenticationSchemeOptions, HeaderAuthentication>(HeaderAuthentication.Name, null);
                services.AddAuthorization();
            });

        Assert.Equal(HttpStatusCode.Unauthorized, (await web.Client.GetAsync("/molt/status")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await web.Client.PostAsync("/molt/reload", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Send(web, HttpMethod.Get, "/molt/status", "guest")).StatusCode);

        using var status = await Send(web, HttpMethod.Get, "/molt/status", "ops");
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        var reply = await status.Content.ReadFromJsonAsync(ControlJson.StatusReply);
        Assert.Equal(Environment.ProcessId, reply!.Pid);
        Assert.Equal(web.Engine.Generation, reply.Generation);
        Assert.Equal("api", Assert.Single(reply.Modules).Name);

        web.Write("api.cs", ApiModule.WithRoutes("""endpoints.MapGet("/hello", () => "hello 2")"""));
        using var failed = await Send(web, HttpMethod.Post, "/molt/reload", "ops");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, failed.StatusCode);
        var failure = await failed.Content.ReadFromJsonAsync(ControlJson.ReloadReply);
        Assert.False(failure!.Ok);
        Assert.Contains(failure.Diagnostics, e => e.Id == "CS1002" && e.File!.EndsWith("api.cs", StringComparison.Ordinal));

        web.Write("api.cs", ApiModule.WithRoutes("""endpoints.MapGet("/hello", () => "hello 2");"""));
        using var reloaded = await Send(web, HttpMethod.Post, "/molt/reload", "ops");
        Assert.Equal(HttpStatusCode.OK, reloaded.StatusCode);
        var success = await reloaded.Content.ReadFromJsonAsync(ControlJson.ReloadReply);
        Assert.Equal("http", success!.Trigger);
        Assert.Equal("api", Assert.Single(success.Changed).Module);
        Assert.Equal("hello 2", await web.Client.GetStringAsync("/hello"));
    }

    private static Task<HttpResponseMessage> Send(WebWorkspace web, HttpMethod method, string path, string user)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-User", user);
        return web.Client.SendAsync(request);
    }
}
