namespace Molt.EntryPoints;

/// <summary>What an entry point handle asks for, resolved again against every new generation.</summary>
/// <param name="Module">The module.</param>
/// <param name="Name">The export name, or <see langword="null"/> for "the one exported class implementing <paramref name="Type"/>".</param>
/// <param name="Type">The delegate or service type.</param>
/// <param name="IsDelegate">Whether the handle is a delegate entry point.</param>
/// <param name="Fallback">What the handle dispatches to while the export is absent, or <see langword="null"/>.</param>
internal sealed record EntrySpec(string Module, string? Name, Type Type, bool IsDelegate, object? Fallback)
{
    /// <summary>Gets what the host runs on each new target before the switch.</summary>
    public EntryPreparers Preparers { get; } = new();

    public string Describe() => IsDelegate
        ? $"entry point {Module}.{Name} ({Type.Name})"
        : $"service {Type.Name} of module {Module}{(Name is null ? string.Empty : $" (export '{Name}')")}";
}
