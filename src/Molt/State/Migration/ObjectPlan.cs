namespace Molt.State;

/// <summary>How to migrate objects of one old type into one new type: built once per (old, new) pair and migration.</summary>
internal sealed class ObjectPlan
{
    public required Type OldType { get; init; }

    public required Type NewType { get; init; }

    public required ObjectFactory Factory { get; init; }

    public required IReadOnlyList<MemberPlan> Members { get; init; }

    /// <summary>Gets the logical names of old members the new type does not have.</summary>
    public required IReadOnlyList<string> Removed { get; init; }

    /// <summary>Gets a value indicating whether both types have the same members with the same member types (so no custom migration is needed).</summary>
    public required bool SameShape { get; init; }

    /// <summary>
    /// Gets a value indicating whether every member of the new type is filled from an old member, so
    /// that the new object needs no constructor: constructors have effects (an id taken, a random
    /// number drawn, a [Persistent] static of a generation not bound yet read) that a migration must not have.
    /// </summary>
    public required bool FillsEveryMember { get; init; }

    /// <summary>Gets or sets the last migration run that reported <see cref="Removed"/>, so each run reports them once.</summary>
    public int ReportedInRun { get; set; } = -1;

    public static ObjectPlan Build(Type oldType, Type newType, MigrationContext context)
    {
        var (oldFields, newFields, factory, types) = (context.FieldsOf(oldType), context.FieldsOf(newType), context.FactoryOf(newType), context.Types);
        var members = new List<MemberPlan>();
        var removed = new List<string>();
        var sameShape = newFields.HasExactly(oldFields.Fields.Select(f => f.Name));
        foreach (var (name, oldField) in oldFields.Fields)
        {
            var newField = newFields.Find(name);
            if (newField is null)
            {
                removed.Add(name);
                continue;
            }

            sameShape &= ShapeName(oldField.FieldType) == ShapeName(newField.FieldType);

            // Same inert type on both sides: nothing inside can need rewriting, so copy the value as is.
            var copy = oldField.FieldType == newField.FieldType && !types.Involves(oldField.FieldType) && ValueConversions.IsInert(oldField.FieldType);
            members.Add(new MemberPlan(name, oldField, newField, copy));
        }

        var filled = members.Select(m => m.New).ToHashSet();
        var fillsEveryMember = newFields.Fields.All(f => filled.Contains(f.Field));
        return new ObjectPlan { OldType = oldType, NewType = newType, Factory = factory, Members = members, Removed = removed, SameShape = sameShape, FillsEveryMember = fillsEveryMember };
    }

    // Types compared across generations by name, without the assembly names that differ per generation.
    private static string ShapeName(Type type) =>
        type.IsConstructedGenericType
            ? $"{type.GetGenericTypeDefinition().FullName}[{string.Join(",", type.GenericTypeArguments.Select(ShapeName))}]"
            : type.HasElementType ? $"{ShapeName(type.GetElementType()!)}{type.Name[type.GetElementType()!.Name.Length..]}"
            : type.FullName ?? type.Name;
}
