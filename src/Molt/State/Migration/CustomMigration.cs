using System.Reflection;

namespace Molt.State;

/// <summary>A module's <see cref="StateMigrationAttribute">[StateMigration]</see> method: old value in neutral form in, new value out.</summary>
internal sealed class CustomMigration
{
    private readonly MethodInfo _method;

    private CustomMigration(MethodInfo method, string fromTypeName)
    {
        _method = method;
        FromTypeName = fromTypeName;
        NewType = method.ReturnType;
        ParameterType = method.GetParameters()[0].ParameterType;
        TakesMigrated = method.GetParameters().Length == 2;
    }

    /// <summary>Gets the full name of the old type it converts.</summary>
    public string FromTypeName { get; }

    /// <summary>Gets the type it returns.</summary>
    public Type NewType { get; }

    /// <summary>Gets the neutral node type it accepts.</summary>
    public Type ParameterType { get; }

    /// <summary>Gets a value indicating whether the method also takes the default migration of the value (its second parameter), to change only what needs it.</summary>
    public bool TakesMigrated { get; }

    /// <summary>Gets the method's name for messages: <c>Type.Method</c>.</summary>
    public string Name => $"{_method.DeclaringType?.FullName}.{_method.Name}";

    /// <summary>Reads a method's declaration; a malformed one is a programming error in the module and fails loudly.</summary>
    public static CustomMigration FromMethod(MethodInfo method, StateMigrationAttribute attribute)
    {
        var parameters = method.GetParameters();
        if (!method.IsStatic || parameters.Length is not (1 or 2) || !typeof(StateNode).IsAssignableFrom(parameters[0].ParameterType)
            || (parameters.Length == 2 && parameters[1].ParameterType != method.ReturnType)
            || method.ReturnType == typeof(void) || method.IsGenericMethodDefinition)
        {
            throw new InvalidOperationException(
                $"[StateMigration] method {method.DeclaringType?.FullName}.{method.Name} must be static, take a {nameof(StateNode)} or {nameof(StateObject)} (the old value) and optionally the new type (its default migration), and return the new value.");
        }

        return new CustomMigration(method, attribute.From ?? method.ReturnType.FullName!);
    }

    /// <summary>Runs the migration; its failures become migration failures at <paramref name="path"/>, with the file and line where it threw.</summary>
    public object? Invoke(StateNode old, object? migrated, MigrationPath path)
    {
        if (!ParameterType.IsInstanceOfType(old))
        {
            throw path.Fail($"custom migration {Name} takes a {ParameterType.Name} but the old value is a {old.GetType().Name}");
        }

        try
        {
            return _method.Invoke(null, TakesMigrated ? [old, migrated] : [old]);
        }
        catch (TargetInvocationException e) when (e.InnerException is { } inner)
        {
            var frame = new System.Diagnostics.StackTrace(inner, fNeedFileInfo: true).GetFrames().FirstOrDefault(f => f.GetFileName() is not null);
            var where = frame is null ? string.Empty : $" at {frame.GetFileName()}:{frame.GetFileLineNumber()}";
            throw path.Fail($"custom migration {Name} threw {inner.GetType().Name}: {inner.Message}{where}", inner).At(frame?.GetFileName(), frame?.GetFileLineNumber() ?? 0);
        }
    }
}
