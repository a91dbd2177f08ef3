using System.Net;
using Microsoft.AspNetCore.Builder;

namespace Molt.AspNetCore.Tests;

/// <summary>Uses <see cref="Gate"/>, a static: not run in parallel with itself.</summary>
public sealed class InFlightTests
{
    private static string Api(int version) => ApiModule.WithRoutes($$"""
        endpoints.MapGet("/hello", () => "hello {{version}}");
        endpoints.MapGet("/slow", async () =>
        {
            await Molt.AspNetCore.Tests.Gate.WaitAsync();
            return "slow {{version}}";
        });
        """);

    [Fact]
    public async Task RequestsInFlightFinishInTheirGenerationWhileNewOnesGetTheNewCodeAndThenTheOldOneUnloads()
    {
        Gate.Reset();
        await using var web = new WebWorkspace();
        web.Write("api.cs", Api(1));
        await web.StartAsync(app => app.MapModuleEndpoints("api"));

        var held = Enumerable.Range(0, 5).Select(_ => web.Client.GetStringAsync("/slow")).ToArray();
        await Until(() => Gate.Waiting == 5);

        var unloaded = ApiModule.Unloaded(web.Engine, "api", 1);
        web.Write("api.cs", Api(2));
        await web.ReloadAsync();
        Assert.Equal("hello 2", await web.Client.GetStringAsync("/hello"));
        Assert.All(held, h => Assert.False(h.IsCompleted));

        Gate.Open();
        Assert.All(await Task.WhenAll(held), body => Assert.Equal("slow 1", body));
        await unloaded;
    }

    [Fact]
    public async Task UnderSteadyRequestsEveryReloadIsSeenInOrderAndNoRequestFails()
    {
        Gate.Open();
        await using var web = new WebWorkspace();
        web.Write("api.cs", Api(1));
        await web.StartAsync(app => app.MapModuleEndpoints("api"));

        using var stop = new CancellationTokenSource();
        var last = new int[4];
        var clients = Enumerable.Range(0, 4).Select(client => Task.Run(async () =>
        {
            var seen = new List<int>();
            var failures = new List<string>();
            while (!stop.IsCancellationRequested)
            {
                using var response = await web.Client.GetAsync("/hello");
                var body = await response.Content.ReadAsStringAsync();
                if (response.StatusCode != HttpStatusCode.OK || !body.StartsWith("hello ", StringComparison.Ordinal))
                {
                    failures.Add($"{(int)response.StatusCode} {body}");
                    continue;
                }

                seen.Add(int.Parse(body["hello ".Length..]));
                Volatile.Write(ref last[client], seen[^1]);
            }

            return (seen, failures);
        })).ToArray();

        for (var version = 2; version <= 8; version++)
        {
            web.Write("api.cs", Api(version));
            await web.ReloadAsync();
        }

        await Until(() => Enumerable.Range(0, last.Length).All(i => Volatile.Read(ref last[i]) == 8) || clients.Any(c => c.IsCompleted));
        stop.Cancel();
        foreach (var (seen, failures) in await Task.WhenAll(clients))
        {
            Assert.Empty(failures);
            Assert.Equal(seen.Order(), seen);
            Assert.Equal(8, seen[^1]);
        }
    }

    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + WebWorkspace.Timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(10);
        }
    }
}
