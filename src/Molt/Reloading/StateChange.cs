namespace Molt;

/// <summary>What a reload did to one persistent value.</summary>
/// <param name="Scope">The module that owns it, or <c>@shared</c>.</param>
/// <param name="Name">The value's name.</param>
/// <param name="Kind">What happened.</param>
/// <param name="Reason">Why it was reset or failed (with the member path), or <see langword="null"/>.</param>
/// <param name="RemovedMembers">Members the old value had and the new type has not (<c>Type.Member</c>): their values were dropped.</param>
public sealed record StateChange(string Scope, string Name, StateChangeKind Kind, string? Reason, IReadOnlyList<string> RemovedMembers);
