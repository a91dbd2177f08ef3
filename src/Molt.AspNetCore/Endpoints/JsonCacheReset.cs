using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Molt.AspNetCore.Endpoints;

/// <summary>
/// Empties the host's System.Text.Json metadata caches at every switch. A minimal-API route that
/// returns or binds a module's type caches that type's JSON metadata in the host's
/// <see cref="HttpJsonOptions"/> for good, which would keep every retired generation in memory.
/// System.Text.Json publishes a hot-reload hook for this, but it only clears options instances it
/// tracks while the runtime's metadata updates are on (<c>dotnet watch</c>), never in a Molt host; so
/// this calls the method that hook calls, on the instances the host uses. Should a later runtime
/// not have it, a warning says so once and a leaked generation is reported as usual.
/// </summary>
internal sealed class JsonCacheReset
{
    private static readonly ConditionalWeakTable<MoltEngine, JsonCacheReset> s_attached = [];
    private static readonly MethodInfo? s_clearCaches = typeof(JsonSerializerOptions).GetMethod("ClearCaches", BindingFlags.Instance | BindingFlags.NonPublic, Type.EmptyTypes);

    private readonly IServiceProvider _services;
    private readonly ILogger _logger;

    private JsonCacheReset(IServiceProvider services)
    {
        _services = services;
        _logger = services.GetService<ILoggerFactory>()?.CreateLogger("Molt.AspNetCore") ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
    }

    /// <summary>Makes sure the caches are emptied at each of <paramref name="engine"/>'s switches (once per engine).</summary>
    public static void Attach(MoltEngine engine, IServiceProvider services)
    {
        if (s_attached.TryAdd(engine, new JsonCacheReset(services)) && s_attached.TryGetValue(engine, out var reset))
        {
            if (s_clearCaches is null)
            {
                Log.CannotClearJsonCaches(reset._logger);
                return;
            }

            engine.Switched += (_, _) => reset.Clear();
        }
    }

    private void Clear()
    {
        // The published hook: clears System.Text.Json's static member-accessor cache (which holds
        // module constructors and properties, and evicts only when used again).
        foreach (var handler in typeof(JsonSerializerOptions).Assembly.GetCustomAttributes<System.Reflection.Metadata.MetadataUpdateHandlerAttribute>())
        {
            handler.HandlerType.GetMethod("ClearCache", BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic, [typeof(Type[])])?.Invoke(null, [null]);
        }


        foreach (var options in new[] { _services.GetService<IOptions<HttpJsonOptions>>()?.Value.SerializerOptions, JsonSerializerOptions.Default, JsonSerializerOptions.Web })
        {
            if (options is not null)
            {
                s_clearCaches!.Invoke(options, null);
            }
        }
    }
}
