namespace Molt;

/// <summary>
/// Implemented by a class a module exports (<c>[Export]</c>) to serve connections the host accepted
/// (<c>MoltEngine.ServeConnections</c>), with plain async code: read a line, answer, read the next.
/// The host keeps the connection. A reload waits until every handler is at a read (a safe point:
/// done with its last line, none of the next consumed), switches, then cancels
/// <c>reloading</c>: the read throws <see cref="OperationCanceledException"/>, and the new
/// generation's handler is called with the same connection and every unread byte still in it.
/// </summary>
/// <remarks>
/// The handlers of one server run one at a time between their awaits, like an event loop, so state
/// they share needs no lock. State that must survive a reload (per connection, too: key it by
/// <see cref="IModuleConnection.Id"/>) belongs in persistent state, changed through <c>Update</c>.
/// </remarks>
public interface IConnectionHandler
{
    /// <summary>Serves <paramref name="connection"/> until it closes, or until <paramref name="reloading"/> is cancelled.</summary>
    /// <param name="connection">The connection, kept by the host across generations.</param>
    /// <param name="reloading">Cancelled when a new generation takes the connection over; pass it to every read.</param>
    /// <returns>A task that completes when the handler is done: returning (other than for a reload) closes the connection.</returns>
    Task HandleAsync(IModuleConnection connection, CancellationToken reloading);
}
