namespace Molt.State;

/// <summary>The old-to-new object memo and reachability analysis that every value of one migration pass shares.</summary>
internal sealed class MigrationPass(MigrationContext context)
{
    public Dictionary<object, object?> Memo { get; } = new(ReferenceEqualityComparer.Instance);

    public AffectedObjects Affected { get; } = new(context);
}
