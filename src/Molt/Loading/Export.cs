using System.Reflection;

namespace Molt.Loading;

/// <summary>Something a module generation exports: a static method or a class.</summary>
internal sealed class Export(string name, MethodInfo? method, Type? serviceType)
{
    private object? _instance;

    public string Name { get; } = name;

    public MethodInfo? Method { get; } = method;

    public Type? ServiceType { get; } = serviceType;

    public string Describe() => Method is { } m
        ? $"static method {m.DeclaringType?.Name}.{m.Name}({string.Join(", ", m.GetParameters().Select(p => p.ParameterType.Name))}) : {m.ReturnType.Name}"
        : $"class {ServiceType!.FullName}";

    /// <summary>The generation's single instance of an exported class, created on first use (before the switch).</summary>
    public object GetInstance(IModuleContext context)
    {
        if (_instance is not null)
        {
            return _instance;
        }

        var type = ServiceType!;
        var withContext = type.GetConstructor([typeof(IModuleContext)]);
        _instance = withContext is not null
            ? withContext.Invoke([context])
            : Activator.CreateInstance(type)
              ?? throw new InvalidOperationException($"Could not create {type.FullName}.");
        return _instance;
    }
}
