namespace Molt.Control;

/// <summary>
/// The open connections, bounded. When full, a newcomer displaces the connection idle the longest,
/// so that clients which connect and say nothing cannot lock out the one that has work to do.
/// </summary>
internal sealed class ConnectionRegistry(int capacity)
{
    private readonly Lock _gate = new();
    private readonly HashSet<ControlConnection> _connections = [];

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _connections.Count;
            }
        }
    }

    /// <summary>Admits <paramref name="connection"/>, displacing an idle one if needed.</summary>
    /// <param name="connection">The newcomer.</param>
    /// <param name="displaced">The connection the caller must close, if any.</param>
    /// <returns><see langword="false"/> when full and every connection is busy.</returns>
    public bool TryAdd(ControlConnection connection, out ControlConnection? displaced)
    {
        displaced = null;
        lock (_gate)
        {
            if (_connections.Count >= capacity)
            {
                ControlConnection? oldest = null;
                foreach (var candidate in _connections)
                {
                    if (!candidate.IsBusy && (oldest is null || candidate.LastActivity < oldest.LastActivity))
                    {
                        oldest = candidate;
                    }
                }

                if (oldest is null)
                {
                    return false;
                }

                _connections.Remove(oldest);
                displaced = oldest;
            }

            _connections.Add(connection);
            return true;
        }
    }

    public void Remove(ControlConnection connection)
    {
        lock (_gate)
        {
            _connections.Remove(connection);
        }
    }

    public ControlConnection[] Snapshot()
    {
        lock (_gate)
        {
            return [.. _connections];
        }
    }
}
