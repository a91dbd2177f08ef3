namespace Molt;

/// <summary>A loaded module as the manifest shows it.</summary>
/// <param name="Name">The module's name.</param>
/// <param name="Kind">What it is made of.</param>
/// <param name="Generation">Its current generation.</param>
/// <param name="Hash">The SHA-256 of its content.</param>
/// <param name="Files">Its files.</param>
/// <param name="LoadedAt">When the current generation loaded.</param>
/// <param name="Dependencies">The modules it depends on.</param>
/// <param name="Exports">The names it exports.</param>
public sealed record ModuleInfo(
    string Name,
    ModuleKind Kind,
    int Generation,
    string Hash,
    IReadOnlyList<string> Files,
    DateTimeOffset LoadedAt,
    IReadOnlyList<string> Dependencies,
    IReadOnlyList<string> Exports);
