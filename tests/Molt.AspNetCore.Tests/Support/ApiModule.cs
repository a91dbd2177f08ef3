namespace Molt.AspNetCore.Tests;

/// <summary>Sources of a module that maps routes.</summary>
internal static class ApiModule
{
    /// <summary>A module exporting <see cref="IModuleEndpoints"/> whose <c>MapEndpoints</c> body is <paramref name="routes"/>.</summary>
    public static string WithRoutes(string routes, string members = "") => $$"""
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Http;
        using Microsoft.AspNetCore.Mvc;
        using Microsoft.AspNetCore.Routing;
        using Molt.AspNetCore;

        public sealed record Thing(string Name, int Version);

        [Export]
        public sealed class Routes : IModuleEndpoints
        {
            {{members}}

            public void MapEndpoints(IEndpointRouteBuilder endpoints)
            {
                {{routes}}
            }
        }
        """;

    /// <summary>Waits for a module generation to be proven unloaded (or fails with why not).</summary>
    public static Task Unloaded(MoltEngine engine, string module, int generation)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        engine.GenerationUnloaded += (_, e) =>
        {
            if (e.Module == module && e.Generation == generation)
            {
                done.TrySetResult();
            }
        };
        engine.GenerationLeaked += (_, e) =>
        {
            if (e.Module == module && e.Generation == generation)
            {
                done.TrySetException(new Xunit.Sdk.XunitException($"{module}#{generation} leaked: {e.Message}"));
            }
        };
        return done.Task.WaitAsync(WebWorkspace.Timeout);
    }
}
