using System.Reflection;
using Molt;

namespace Plugins.Hello;

/// <summary>The sample plugin. Its version comes from the build (<c>-p:PluginVersion=…</c>).</summary>
[Export]
public sealed class HelloPlugin : IPlugin
{
    /// <inheritdoc/>
    public string Id => "hello";

    /// <inheritdoc/>
    public string Version { get; } = typeof(HelloPlugin).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .First(a => a.Key == "PluginVersion").Value ?? "unknown";

    /// <inheritdoc/>
    public string Greet(string name) => $"hello, {name}";
}
