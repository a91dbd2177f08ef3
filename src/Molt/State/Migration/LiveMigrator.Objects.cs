using System.Reflection;
using System.Runtime.CompilerServices;

namespace Molt.State;

/// <summary>Objects: retiring ones rebuilt as their new type, others copied when something they reach changes.</summary>
internal sealed partial class LiveMigrator
{
    private static readonly MethodInfo s_clone = typeof(object).GetMethod("MemberwiseClone", BindingFlags.Instance | BindingFlags.NonPublic)!;

    /// <summary>Builds the new type's object from the old one, member by member.</summary>
    /// <param name="value">The old object.</param>
    /// <param name="plan">The members to carry.</param>
    /// <param name="lenient">Whether a member that cannot migrate is left at its new default instead of failing (for a custom migration that finishes the job).</param>
    private object MigrateObject(object value, ObjectPlan plan, bool lenient)
    {
        object result;
        try
        {
            // A custom migration given the default one may leave members unfilled: they get their initialisers.
            result = plan.FillsEveryMember && !lenient ? RuntimeHelpers.GetUninitializedObject(plan.NewType) : plan.Factory.Create();
        }
        catch (Exception e) when (e is TargetInvocationException or MissingMethodException or InvalidOperationException)
        {
            throw _path.Fail($"cannot create a {plan.NewType.FullName} (the migration runs its constructor to give the members it gained their initial values): {e.InnerException?.Message ?? e.Message}", e);
        }

        if (!plan.OldType.IsValueType)
        {
            Remember(value, result);
        }

        if (plan.Removed.Count > 0 && plan.ReportedInRun != _run && !lenient)
        {
            plan.ReportedInRun = _run;
            _removed.AddRange(plan.Removed.Select(name => new RemovedMember(plan.OldType.FullName!, name)));
        }

        foreach (var member in plan.Members)
        {
            var memberValue = member.Old.GetValue(value);
            if (!member.Copy)
            {
                _path.Push(member.Name);
                try
                {
                    memberValue = MigrateValue(memberValue, member.New.FieldType);
                }
                catch (StateMigrationException) when (lenient)
                {
                    _path.Pop();
                    continue;
                }
                catch (StateMigrationException e) when (e.Reason.StartsWith("cannot convert", StringComparison.Ordinal) && e.Path == _path.ToString())
                {
                    // The path says where the value sits (enemies[2].Sprite), not whose member it is.
                    throw _path.Fail($"{e.Reason} (the type of {plan.NewType.FullName}.{member.Name} changed)", e.InnerException);
                }

                _path.Pop();
            }

            member.New.SetValue(result, memberValue);
        }

        return result;
    }

    /// <summary>
    /// An object of a type that does not retire but reaches something that does: a copy with the
    /// migrated members. The old object is never changed: the serving generation still reads it.
    /// </summary>
    private object CopyOnWrite(object value, Type type)
    {
        var copy = s_clone.Invoke(value, null)!;
        if (!type.IsValueType)
        {
            Remember(value, copy);
        }

        foreach (var (name, field) in _context.FieldsOf(type).Fields)
        {
            if (!_context.Classifier.MayHold(field.FieldType))
            {
                continue;
            }

            var old = field.GetValue(value);
            _path.Push(name);
            var migrated = MigrateValue(old, field.FieldType);
            _path.Pop();
            if (!ReferenceEquals(old, migrated))
            {
                field.SetValue(copy, migrated);
            }
        }

        return copy;
    }

    private object? MigrateCustom(object value, Type type, CustomMigration custom)
    {
        var old = new NeutralWriter(_context, NeutralMode.Live, _path.ToString()).Write(value) as StateNode
            ?? throw _path.Fail($"{type.FullName} has no neutral form");
        object? migrated = null;
        if (custom.TakesMigrated)
        {
            // The default migration of every member that still fits; the method writes what changed.
            migrated = MigrateObject(value, _context.PlanOf(type, custom.NewType), lenient: true);
        }

        var result = custom.Invoke(old, migrated, _path);
        if (result is not null && _context.Types.Involves(result.GetType()))
        {
            throw _path.Fail($"custom migration {custom.Name} returned a {result.GetType().FullName} of the old generation");
        }

        if (!type.IsValueType)
        {
            Remember(value, result);
        }

        return result;
    }
}
