namespace Molt.Control;

/// <summary>A live control socket found by <see cref="ControlSocketDiscovery"/>.</summary>
/// <param name="ProcessId">The process that owns it (from its file name).</param>
/// <param name="SocketPath">The socket's path, to give to <see cref="ControlClientOptions.SocketPath"/>.</param>
public sealed record ControlSocketInfo(int ProcessId, string SocketPath);
