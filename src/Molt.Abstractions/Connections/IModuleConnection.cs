using System.Net;

namespace Molt;

/// <summary>A connection the host accepted and keeps across reloads, read and written a line at a time.</summary>
public interface IModuleConnection
{
    /// <summary>Gets the connection's number, unique in the process: a key for its persistent state.</summary>
    long Id { get; }

    /// <summary>Gets the peer's address, when the host gave it.</summary>
    EndPoint? RemoteEndPoint { get; }

    /// <summary>Gets a value indicating whether this handler is the connection's first (not one taking it over at a reload).</summary>
    bool IsNew { get; }

    /// <summary>
    /// Gets every connection the same server serves now, this one included (whether or not its
    /// handler has started after a reload): what to broadcast to. The objects are the host's and
    /// stay the same across reloads.
    /// </summary>
    IEnumerable<IModuleConnection> AllConnections { get; }

    /// <summary>
    /// Reads the next line (without its <c>\n</c> or <c>\r\n</c>). Calling it says the handler is
    /// done with the previous line: a reload may switch while the handler waits here, and only here.
    /// A line is consumed only when it is returned; a cancelled read consumes nothing.
    /// </summary>
    /// <param name="cancellationToken">The handler's <c>reloading</c> token, or one linked to it (to add a timeout).</param>
    /// <returns>The line, or <see langword="null"/> once the peer has closed the connection.</returns>
    /// <exception cref="OperationCanceledException">A reload took the connection over, or <paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="InvalidDataException">A line is longer than the server's limit.</exception>
    ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken);

    /// <summary>Writes <paramref name="line"/> and <c>\n</c>; lines written by several handlers never interleave.</summary>
    /// <param name="line">The text (UTF-8 on the wire).</param>
    /// <param name="cancellationToken">Stops waiting for a slow peer.</param>
    /// <returns>A task that completes when the line is written.</returns>
    ValueTask WriteLineAsync(string line, CancellationToken cancellationToken = default);
}
