namespace Molt.Tests.Infrastructure;

/// <summary>An interface the host defines and modules implement (a service entry point).</summary>
public interface IGreeter
{
    string Greet(string name);
}

/// <summary>Host-side events and hooks that modules reach, as a real host would offer them.</summary>
public static class HostEvents
{
    /// <summary>A static event: a module that subscribes and never unsubscribes leaks its generation.</summary>
    public static event Action? Tick;

    public static void RaiseTick() => Tick?.Invoke();
}

/// <summary>A host service that modules record into, handed over through the options' service provider.</summary>
public sealed class Recorder
{
    private readonly List<string> _lines = [];

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public void Add(string line)
    {
        lock (_lines)
        {
            _lines.Add(line);
        }
    }

    public void Clear()
    {
        lock (_lines)
        {
            _lines.Clear();
        }
    }
}

/// <summary>A service provider holding one <see cref="Recorder"/>.</summary>
public sealed class RecorderServices(Recorder recorder) : IServiceProvider
{
    public object? GetService(Type serviceType) => serviceType == typeof(Recorder) ? recorder : null;
}

/// <summary>Serializer options a host keeps for its whole life, as real hosts do; System.Text.Json caches every type serialized with them.</summary>
public static class HostJson
{
    public static readonly System.Text.Json.JsonSerializerOptions Options = new();
}
