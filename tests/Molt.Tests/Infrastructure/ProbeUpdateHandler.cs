using System.Collections.Concurrent;

[assembly: System.Reflection.Metadata.MetadataUpdateHandler(typeof(Molt.Tests.Infrastructure.ProbeUpdateHandler))]

namespace Molt.Tests.Infrastructure;

/// <summary>
/// A host's metadata update handler, as the runtime's hot reload calls them. It acts only on the
/// modules of the test that wants it (a type named <c>HandlerProbe…</c> among those it is given), so
/// the other tests' reloads, which call it too, see nothing: it records the calls by the probe type's
/// name (never the types), and throws from <c>ClearCache</c> when the probe's name says so.
/// </summary>
internal static class ProbeUpdateHandler
{
    public static ConcurrentQueue<string> Calls { get; } = new();

    public static void ClearCache(Type[]? types) => Record("ClearCache", types);

    public static void UpdateApplication(Type[]? types) => Record("UpdateApplication", types);

    private static void Record(string method, Type[]? types)
    {
        if (types?.FirstOrDefault(t => t.Name.StartsWith("HandlerProbe", StringComparison.Ordinal)) is not { } probe)
        {
            return;
        }

        Calls.Enqueue($"{method}:{probe.Name}:{types.Length}");
        if (method == "ClearCache" && probe.Name.Contains("Throw", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("the probe's cache is broken");
        }
    }
}
