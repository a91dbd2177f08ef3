using System.Net.Sockets;

namespace Molt.Control;

/// <summary>
/// Passes a control server's listening sockets from one process of a host to the next (a hot
/// restart, implemented in Molt.Hosting). A channel at a fixed address — a configured socket path,
/// a fixed TCP port — cannot be bound by the new process while the old one serves it; adopting the
/// old process's socket instead means no request is refused during the switch.
/// </summary>
internal interface IListenerHandover
{
    /// <summary>Takes the listening socket the previous process passed on under <paramref name="name"/>, or <see langword="null"/> when there is none.</summary>
    /// <param name="name">The listener's name.</param>
    /// <returns>The socket, now the caller's own; <see langword="null"/> when nothing was passed on under that name.</returns>
    Socket? Adopt(string name);

    /// <summary>Keeps a copy of <paramref name="listener"/> to pass on at the next hot restart; the caller keeps its own and may close it.</summary>
    /// <param name="name">The listener's name.</param>
    /// <param name="listener">The listening socket.</param>
    void Keep(string name, Socket listener);

    /// <summary>
    /// Gets a value indicating whether this process has taken over from the previous one (it was
    /// ready and the previous process acknowledged), or was not started by a hot restart. Until then
    /// an adopted socket's file is still the previous process's, which serves on if this one fails:
    /// stopping must not delete it.
    /// </summary>
    bool IsTakenOver { get; }

    /// <summary>Runs <paramref name="handedOver"/> once a new process has taken the kept listeners over and serves them.</summary>
    /// <param name="handedOver">Stops this process's use of them.</param>
    void OnHandedOver(Action handedOver);
}
