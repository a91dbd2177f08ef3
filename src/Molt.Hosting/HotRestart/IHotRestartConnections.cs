using System.Net.Sockets;

namespace Molt.Hosting;

/// <summary>
/// Established connections that a hot restart hands to the new process (the IRC bot's one TCP
/// session, a game's players): the same socket, the bytes received and not yet read, and a state
/// string, so the peer sees nothing. Registered by
/// <see cref="MoltServiceCollectionExtensions.AddMoltHotRestart"/>.
/// </summary>
/// <example>
/// <code>
/// var connection = connections.Take("irc") ?? connections.Adopt("irc", await ConnectAndRegisterAsync());
/// while (await connection.ReadLineAsync(stoppingToken) is { } line) { ... }
/// </code>
/// </example>
public interface IHotRestartConnections
{
    /// <summary>
    /// Takes the connection the previous process handed over under <paramref name="name"/>, once:
    /// it is handed over again, under the same name, by this process's next hot restart. Its reads
    /// wait until the hand-over is final. Take it while the host starts (a <c>BackgroundService</c>'s
    /// <c>ExecuteAsync</c> will do): a connection nobody took within 10 s of the hand-over is closed.
    /// </summary>
    /// <param name="name">The connection's name.</param>
    /// <returns>The connection, or <see langword="null"/> when none was handed over under that name (this process was not started by a hot restart, or the old one had no such connection).</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    /// <exception cref="InvalidOperationException">The hand-over failed: this process cannot start as the replacement.</exception>
    HotRestartConnection? Take(string name);

    /// <summary>
    /// Makes a connected socket one that the next hot restart hands over under <paramref name="name"/>.
    /// The connection owns the socket from now on: read and write through it only.
    /// </summary>
    /// <param name="name">The connection's name, unique among this process's connections.</param>
    /// <param name="socket">A connected stream socket (TCP or Unix).</param>
    /// <returns>The connection.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or already used, or <paramref name="socket"/> is not a connected stream socket.</exception>
    HotRestartConnection Adopt(string name, Socket socket);
}
