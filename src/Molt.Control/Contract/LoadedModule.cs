namespace Molt.Control;

/// <summary>A loaded module as <c>status</c> shows it: an element of <see cref="StatusReply.Modules"/>.</summary>
public sealed record LoadedModule
{
    /// <summary>Gets the module's name (<c>name</c>).</summary>
    public required string Name { get; init; }

    /// <summary>Gets what it is made of (<c>kind</c>): <c>SourceFile</c>, <c>SourceFolder</c> or <c>Assembly</c>.</summary>
    /// <remarks>Written as the engine's enum member, unlike the other kinds, which are lower case.</remarks>
    public required string Kind { get; init; }

    /// <summary>Gets its current generation (<c>generation</c>).</summary>
    public required int Generation { get; init; }

    /// <summary>Gets the SHA-256 of its content (<c>hash</c>).</summary>
    public required string Hash { get; init; }

    /// <summary>Gets its files (<c>files</c>).</summary>
    public required IReadOnlyList<string> Files { get; init; }

    /// <summary>Gets when its current generation loaded (<c>loadedAt</c>, ISO 8601).</summary>
    public required DateTimeOffset LoadedAt { get; init; }

    /// <summary>Gets the modules it depends on (<c>dependencies</c>).</summary>
    public required IReadOnlyList<string> Dependencies { get; init; }

    /// <summary>Gets the names it exports (<c>exports</c>).</summary>
    public required IReadOnlyList<string> Exports { get; init; }
}
