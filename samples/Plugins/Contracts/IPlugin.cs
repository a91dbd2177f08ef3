namespace Plugins;

/// <summary>What a plugin exports (as a class marked <c>[Export]</c>) for the host to list and call.</summary>
public interface IPlugin
{
    /// <summary>Gets the plugin's id, stable across versions.</summary>
    string Id { get; }

    /// <summary>Gets the version the plugin was built as.</summary>
    string Version { get; }

    /// <summary>Greets someone, to show the host calling into the plugin.</summary>
    /// <param name="name">Who to greet.</param>
    /// <returns>The greeting.</returns>
    string Greet(string name);
}
