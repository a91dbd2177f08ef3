using System.Reflection;

namespace Molt.State;

/// <summary>One member of an <see cref="ObjectPlan"/>: where to read it, where to write it, and whether it can be copied as is.</summary>
/// <param name="Name">The member's logical name.</param>
/// <param name="Old">The old type's field.</param>
/// <param name="New">The new type's field.</param>
/// <param name="Copy">Whether the value is inert and identical in type, so it needs no migration.</param>
internal readonly record struct MemberPlan(string Name, FieldInfo Old, FieldInfo New, bool Copy);
