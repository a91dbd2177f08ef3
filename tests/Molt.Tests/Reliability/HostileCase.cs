using Molt.Tests.Infrastructure;

namespace Molt.Tests.Reliability;

/// <summary>What a hostile edit must lead to.</summary>
public enum HostileOutcome
{
    /// <summary>The reload fails with the diagnostic; the old generation keeps serving.</summary>
    ReloadFails,

    /// <summary>The edit loads (it is hostile only when retired): the next reload succeeds and warns.</summary>
    NextReloadWarns,

    /// <summary>The edit loads; when it is retired, its generation is reported as leaked.</summary>
    RetirementLeaks,
}

/// <summary>One kind of bad edit, applied to a running host.</summary>
/// <param name="Name">What the edit is.</param>
/// <param name="Apply">Makes the edit in the workspace; returns the line the diagnostic must point at, if any.</param>
/// <param name="Id">The diagnostic id expected.</param>
/// <param name="Outcome">What must happen.</param>
internal sealed record HostileCase(string Name, Func<ModuleWorkspace, MoltEngine, int?> Apply, string Id, HostileOutcome Outcome = HostileOutcome.ReloadFails)
{
    public override string ToString() => Name;
}
