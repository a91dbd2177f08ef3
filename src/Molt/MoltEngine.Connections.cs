namespace Molt;

public sealed partial class MoltEngine
{
    /// <summary>
    /// Gets a server for connections the host accepts, served by the <see cref="IConnectionHandler"/>
    /// that <paramref name="module"/> exports, across reloads. Create it once, in the host.
    /// </summary>
    /// <param name="module">The module's name.</param>
    /// <param name="name">The export's name, or <see langword="null"/> for the module's one exported <see cref="IConnectionHandler"/>.</param>
    /// <returns>The server; dispose it with the host.</returns>
    /// <exception cref="InvalidOperationException">Called from a module's load hook.</exception>
    public ConnectionServer ServeConnections(string module, string? name = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(module);
        return new ConnectionServer(this, module, name);
    }
}
