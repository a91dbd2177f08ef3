namespace Molt.State;

/// <summary>A member the old value had and the new type does not: its value was dropped by the migration.</summary>
/// <param name="TypeName">The full name of the type that lost the member.</param>
/// <param name="MemberName">The member's name.</param>
internal readonly record struct RemovedMember(string TypeName, string MemberName)
{
    public override string ToString() => $"{TypeName}.{MemberName}";
}
