using System.Net;
using System.Net.Sockets;

namespace Molt.Hosting;

/// <summary>
/// The host's listening sockets, by name, as a hot restart hands them over: in a process started
/// by a hot restart a name gives the socket the previous process listened on (so no connection
/// attempt is refused during the switch), otherwise a socket freshly bound to the endpoint.
/// Registered by <see cref="MoltServiceCollectionExtensions.AddMoltHotRestart"/>.
/// </summary>
public interface IHotRestartListeners
{
    /// <summary>Gets a value indicating whether this process was started by a hot restart (and adopts the previous process's listeners).</summary>
    bool IsHandover { get; }

    /// <summary>
    /// Returns a listening socket for <paramref name="name"/>: the one handed over under that name,
    /// else one bound to <paramref name="endPoint"/> now (the same socket on every call). The socket
    /// returned is the caller's own, a duplicate of the one kept for the next hot restart: accept on
    /// it and dispose it when the server stops; that leaves the kept one, and the next process's, listening.
    /// </summary>
    /// <param name="name">The listener's name, which is what matches it across a restart (say <c>http</c>).</param>
    /// <param name="endPoint">Where to bind when nothing was handed over under <paramref name="name"/>.</param>
    /// <returns>A listening socket.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or starts with <c>molt:</c> (the control channel's names).</exception>
    /// <exception cref="SocketException">The endpoint cannot be bound.</exception>
    Socket GetListener(string name, EndPoint endPoint);
}
