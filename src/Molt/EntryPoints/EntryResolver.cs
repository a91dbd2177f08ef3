using System.Reflection;
using Molt.Loading;

namespace Molt.EntryPoints;

/// <summary>Finds what a handle dispatches to in a generation, or says why it cannot.</summary>
internal static class EntryResolver
{
    public static (object? Target, string? Error) Resolve(EntrySpec spec, Generation generation) =>
        spec.IsDelegate ? ResolveDelegate(spec, generation) : ResolveService(spec, generation);

    private static (object? Target, string? Error) ResolveDelegate(EntrySpec spec, Generation generation)
    {
        if (!generation.Exports.TryGetValue(spec.Name!, out var export))
        {
            return (null, $"{generation.DisplayName} exports no '{spec.Name}'");
        }

        if (export.Method is not { } method)
        {
            return (null, $"'{spec.Name}' in {generation.DisplayName} is a {export.Describe()}; use GetService for exported classes");
        }

        try
        {
            return (method.CreateDelegate(spec.Type), null);
        }
        catch (ArgumentException)
        {
            return (null, $"'{spec.Name}' in {generation.DisplayName} is a {export.Describe()}, which does not match {Display(spec.Type)}");
        }
    }

    private static (object? Target, string? Error) ResolveService(EntrySpec spec, Generation generation)
    {
        var candidates = generation.Exports.Values
            .Where(e => e.ServiceType is not null && (spec.Name is null || e.Name == spec.Name))
            .ToArray();
        var matching = candidates.Where(e => spec.Type.IsAssignableFrom(e.ServiceType)).ToArray();
        if (matching.Length != 1)
        {
            var what = spec.Name is null ? $"an exported class implementing {spec.Type.Name}" : $"an exported class '{spec.Name}' implementing {spec.Type.Name}";
            return (null, matching.Length == 0
                ? $"{generation.DisplayName} has no {what}{(candidates.Length > 0 ? $" (found: {string.Join(", ", candidates.Select(c => c.Describe()))})" : string.Empty)}"
                : $"{generation.DisplayName} has {matching.Length} exported classes implementing {spec.Type.Name}; name one");
        }

        try
        {
            return (matching[0].GetInstance(generation.Context), null);
        }
        catch (Exception ex) when (ex is TargetInvocationException or MissingMethodException or MemberAccessException)
        {
            var reason = ex is TargetInvocationException { InnerException: { } inner } ? inner.ToString() : ex.Message;
            return (null, $"creating {matching[0].Describe()} of {generation.DisplayName} failed: {reason}");
        }
    }

    private static string Display(Type delegateType)
    {
        var invoke = delegateType.GetMethod("Invoke")!;
        return $"{delegateType.Name} ({string.Join(", ", invoke.GetParameters().Select(p => p.ParameterType.Name))}) : {invoke.ReturnType.Name}";
    }
}
