using System.Reflection;
using System.Runtime.CompilerServices;

namespace Molt.State;

/// <summary>
/// Creates the empty new object a migration fills in, so that members the old value did not have
/// get their initialisers rather than zero.
/// </summary>
/// <remarks>
/// In order: a struct through <see cref="Activator"/> (its parameterless constructor if it declares one);
/// a class through its parameterless constructor, public or not; otherwise (a record with a primary
/// constructor, say) through its widest constructor that is not the copy constructor, called with each
/// parameter's default value (declared or <c>default</c>), so field and property initialisers run;
/// if that throws (a constructor that validates its arguments), through
/// <see cref="RuntimeHelpers.GetUninitializedObject"/> for this type from then on, and added members
/// keep zero values. Members the old value had are then overwritten field by field.
/// </remarks>
internal sealed class ObjectFactory
{
    private readonly Type _type;
    private readonly ConstructorInfo? _constructor;
    private readonly object?[]? _arguments;
    private bool _constructorFailed;

    private ObjectFactory(Type type)
    {
        _type = type;
        if (type.IsValueType || type.IsAbstract)
        {
            return;
        }

        const BindingFlags instance = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
        var constructors = type.GetConstructors(instance);
        _constructor = constructors.FirstOrDefault(c => c.GetParameters().Length == 0);
        if (_constructor is not null)
        {
            return;
        }

        _constructor = constructors
            .Where(c => !IsCopyConstructor(c, type))
            .OrderByDescending(c => c.IsPublic)
            .ThenByDescending(c => c.GetParameters().Length)
            .FirstOrDefault();
        _arguments = _constructor?.GetParameters().Select(DefaultArgument).ToArray();
    }

    public static ObjectFactory For(Type type) => new(type);

    public object Create()
    {
        if (_type.IsValueType)
        {
            return Activator.CreateInstance(_type)!;
        }

        if (_type.IsAbstract)
        {
            throw new InvalidOperationException($"{_type.FullName} is abstract.");
        }

        if (_constructor is null || _constructorFailed)
        {
            return RuntimeHelpers.GetUninitializedObject(_type);
        }

        try
        {
            return _constructor.Invoke(_arguments);
        }
        catch (TargetInvocationException) when (_arguments is not null)
        {
            _constructorFailed = true;
            return RuntimeHelpers.GetUninitializedObject(_type);
        }
    }

    private static bool IsCopyConstructor(ConstructorInfo constructor, Type type)
    {
        var parameters = constructor.GetParameters();
        return parameters.Length == 1 && parameters[0].ParameterType == type;
    }

    private static object? DefaultArgument(ParameterInfo parameter)
    {
        if (parameter.HasDefaultValue && parameter.DefaultValue is not null)
        {
            return parameter.DefaultValue;
        }

        var type = parameter.ParameterType;
        return type.IsValueType && Nullable.GetUnderlyingType(type) is null ? Activator.CreateInstance(type) : null;
    }
}
