using System.Reflection;
using System.Reflection.Metadata;
using Microsoft.Extensions.Logging;
using Molt.Loading;

namespace Molt.Retirement;

/// <summary>
/// Calls the <see cref="MetadataUpdateHandlerAttribute"/> hooks of the host's and the framework's
/// assemblies when a generation retires, as <c>dotnet watch</c> does after a hot reload:
/// <c>ClearCache(Type[]?)</c> of every handler, then <c>UpdateApplication(Type[]?)</c> of every
/// handler, with the retiring generation's types. Framework caches keyed by type (System.Text.Json's
/// <c>JsonSerializerOptions</c> caches, <c>TypeDescriptor</c>'s) would otherwise keep it in memory.
/// </summary>
/// <remarks>
/// Two kinds of handler are left out: those of module generations (collectible assemblies, whose code
/// is what is being replaced) and the runtime's own (System.Private.CoreLib's, which drops the
/// reflection caches of types a metadata delta changed, and walks every type of every assembly when
/// a type is not sealed: Molt never changes a type, it loads new ones). Handlers run in dependency
/// order (an assembly's after those of the assemblies it references), as hot reload runs them.
/// </remarks>
internal sealed class MetadataUpdateHandlers(ILogger logger)
{
    private readonly Lock _gate = new();
    private readonly HashSet<Assembly> _seen = [];
    private readonly List<(Assembly Assembly, Type Handler)> _found = [];
    private IReadOnlyList<Type> _ordered = [];

    /// <summary>Calls every handler with <paramref name="generation"/>'s types; a handler that throws is a warning in <paramref name="diagnostics"/>.</summary>
    public void Invoke(Generation generation, List<ModuleDiagnostic> diagnostics)
    {
        var handlers = Discover();
        if (handlers.Count == 0)
        {
            return;
        }

        var types = TypesOf(generation.Assembly);
        foreach (var method in (string[])["ClearCache", "UpdateApplication"])
        {
            foreach (var handler in handlers)
            {
                if (handler.GetMethod(method, BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic, [typeof(Type[])]) is not { } hook)
                {
                    continue;
                }

                try
                {
                    hook.Invoke(null, [types]);
                }
                catch (Exception ex)
                {
                    var cause = ex is TargetInvocationException { InnerException: { } inner } ? inner : ex;
                    var diagnostic = new ModuleDiagnostic(generation.Module, null, 0, 0, MoltDiagnosticIds.MetadataUpdateHandlerFailed, DiagnosticSeverity.Warning,
                        $"{handler.FullName}.{method} ({handler.Assembly.GetName().Name}) threw {cause.GetType().Name}: {cause.Message}; the reload stands, but what that handler caches may keep {generation.DisplayName} in memory");
                    diagnostics.Add(diagnostic);
                    Log.Diagnostic(logger, diagnostic.ToString());
                }
            }
        }
    }

    private static Type[] TypesOf(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            return [.. e.Types.OfType<Type>()];
        }
    }

    /// <summary>The handler types, in dependency order; looks only at assemblies loaded since the last call.</summary>
    private IReadOnlyList<Type> Discover()
    {
        lock (_gate)
        {
            var added = false;
            foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
            {
                // Module generations are never remembered: holding one would keep it in memory.
                if (assembly.IsCollectible || assembly == typeof(object).Assembly || !_seen.Add(assembly))
                {
                    continue;
                }

                foreach (var attribute in assembly.GetCustomAttributes<MetadataUpdateHandlerAttribute>())
                {
                    _found.Add((assembly, attribute.HandlerType));
                    added = true;
                }
            }

            if (added)
            {
                _ordered = Order(_found);
            }

            return _ordered;
        }
    }

    private static List<Type> Order(List<(Assembly Assembly, Type Handler)> found)
    {
        var byName = found.GroupBy(f => f.Assembly.GetName().Name ?? string.Empty).ToDictionary(g => g.Key, g => g.Select(f => f.Handler).ToList(), StringComparer.Ordinal);
        var assemblies = found.Select(f => f.Assembly).Distinct().ToDictionary(a => a.GetName().Name ?? string.Empty, StringComparer.Ordinal);
        var ordered = new List<Type>();
        var visited = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in assemblies.Keys)
        {
            Visit(name);
        }

        return ordered;

        void Visit(string name)
        {
            if (!visited.Add(name))
            {
                return;
            }

            foreach (var reference in assemblies[name].GetReferencedAssemblies())
            {
                if (reference.Name is { } referenced && assemblies.ContainsKey(referenced))
                {
                    Visit(referenced);
                }
            }

            ordered.AddRange(byName[name]);
        }
    }
}
