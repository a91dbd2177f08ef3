using Molt;

namespace Plugins;

/// <summary>
/// Prints controllerbus's "manifest": every loaded plugin with its id and version (asked of the
/// plugin itself), its module generation and content hash, and the retired generations not yet collected.
/// </summary>
internal sealed class PluginManifest(MoltEngine engine, TextWriter output)
{
    private readonly Dictionary<string, ServiceEntryPoint<IPlugin>> _plugins = new(StringComparer.Ordinal);

    /// <summary>Prints the manifest. Not from an engine event: creating a handle waits for the reload in progress.</summary>
    public void Print()
    {
        var manifest = engine.Manifest;
        output.WriteLine($"MANIFEST generation {manifest.Generation}: {manifest.Modules.Count} plugin(s), {manifest.RetiredAlive.Count} retired generation(s) not yet collected");
        foreach (var module in manifest.Modules)
        {
            if (!_plugins.TryGetValue(module.Name, out var handle))
            {
                // With a fallback, deleting the plugin later is a valid reload, not a lost entry point.
                handle = engine.GetService<IPlugin>(module.Name, fallback: NoPlugin.Instance);
                _plugins.Add(module.Name, handle);
            }

            var plugin = handle.Current;
            output.WriteLine($"  {module.Name}: id={plugin.Id} version={plugin.Version} module-generation={module.Generation} hash={module.Hash[..12]} says \"{plugin.Greet("molt")}\"");
        }
    }

    private sealed class NoPlugin : IPlugin
    {
        public static readonly NoPlugin Instance = new();

        public string Id => "-";

        public string Version => "-";

        public string Greet(string name) => "(no IPlugin export)";
    }
}
