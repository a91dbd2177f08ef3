using System.Reflection;

namespace Molt.State;

/// <summary>
/// Types, members and delegates: mapped to the new generation's member of the same name (and
/// signature), or refused when there is none. A lambda has no stable name: it is refused.
/// </summary>
internal sealed partial class LiveMigrator
{
    private const BindingFlags AnyMember = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;

    private MemberInfo MapMember(MemberInfo member)
    {
        if (member is Type type)
        {
            return !_context.Types.Involves(type) ? type
                : _context.Types.Map(type) ?? throw _path.Fail($"the Type {type.FullName} does not exist in the new generation");
        }

        if (member.DeclaringType is not { } declaring || !_context.Types.Involves(declaring))
        {
            return member;
        }

        var newType = _context.Types.Map(declaring) ?? throw _path.Fail($"{declaring.FullName}, whose member {member.Name} this is, does not exist in the new generation");
        MemberInfo? found = member switch
        {
            MethodBase method => FindMethod(newType, method),
            FieldInfo field => newType.GetField(field.Name, AnyMember),
            PropertyInfo property => newType.GetProperty(property.Name, AnyMember),
            EventInfo @event => newType.GetEvent(@event.Name, AnyMember),
            _ => null,
        };
        return found ?? throw _path.Fail($"{declaring.FullName}.{member.Name} does not exist in the new generation");
    }

    private MethodBase? FindMethod(Type newType, MethodBase method)
    {
        var parameters = method.GetParameters().Select(p => _context.Types.Map(p.ParameterType)).ToArray();
        if (parameters.Any(p => p is null))
        {
            return null;
        }

        if (method is ConstructorInfo)
        {
            return newType.GetConstructor(AnyMember & ~BindingFlags.Static, parameters!);
        }

        var candidates = newType.GetMethods(AnyMember).Where(m => m.Name == method.Name && m.IsStatic == method.IsStatic).ToArray();
        if (method is MethodInfo { IsGenericMethod: true } generic)
        {
            var arguments = generic.GetGenericArguments().Select(_context.Types.Map).ToArray();
            return arguments.Any(a => a is null) ? null : candidates
                .Where(m => m.IsGenericMethodDefinition && m.GetGenericArguments().Length == arguments.Length)
                .Select(m => m.MakeGenericMethod(arguments!))
                .FirstOrDefault(m => m.GetParameters().Select(p => p.ParameterType).SequenceEqual(parameters!));
        }

        return candidates.FirstOrDefault(m => !m.IsGenericMethodDefinition && m.GetParameters().Select(p => p.ParameterType).SequenceEqual(parameters!));
    }

    private Delegate MigrateDelegate(Delegate value)
    {
        var parts = value.GetInvocationList();
        var migrated = new Delegate[parts.Length];
        var changed = false;
        for (var i = 0; i < parts.Length; i++)
        {
            migrated[i] = MigrateSingle(parts[i]);
            changed |= !ReferenceEquals(migrated[i], parts[i]);
        }

        var result = !changed && !_context.Types.Involves(value.GetType()) ? value : Delegate.Combine(migrated)!;
        Remember(value, result);
        return result;
    }

    private Delegate MigrateSingle(Delegate part)
    {
        var method = part.Method;
        var targetChanges = part.Target is { } old && _affected.IsAffected(old);
        var codeRetires = method.DeclaringType is { } declaring && _context.Types.Involves(declaring);
        var delegateType = _context.Types.Map(part.GetType()) ?? throw _path.Fail($"the delegate type {part.GetType().FullName} does not exist in the new generation");
        if (!codeRetires && !targetChanges && delegateType == part.GetType())
        {
            return part;
        }

        if (ValueClassifier.IsCompilerGenerated(method.DeclaringType!) || method.Name.Contains('<', StringComparison.Ordinal))
        {
            throw _path.Fail($"a lambda or local function of {method.DeclaringType!.Assembly.GetName().Name} ({method.Name}) cannot be migrated: it has no name the new generation's code can be found by. Store a named static method, or data the new code turns back into a function");
        }

        var newMethod = (MethodInfo?)(codeRetires ? FindMethod(_context.Types.Map(method.DeclaringType!)!, method) : method)
            ?? throw _path.Fail($"the method {method.DeclaringType!.FullName}.{method.Name} a delegate points to does not exist in the new generation");
        _path.Push("(target)");
        var target = part.Target is null ? null : MigrateValue(part.Target, newMethod.DeclaringType!);
        _path.Pop();
        return newMethod.IsStatic ? Delegate.CreateDelegate(delegateType, newMethod) : Delegate.CreateDelegate(delegateType, target, newMethod);
    }
}
