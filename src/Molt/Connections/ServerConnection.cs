using System.Net;

namespace Molt.Connections;

/// <summary>
/// One connection as its handlers see it, the same object for every generation that serves it
/// (one handler at a time).
/// </summary>
internal sealed class ServerConnection(long id, EndPoint? remoteEndPoint, LineBuffer buffer, DeliveryGate gate, Func<IEnumerable<IModuleConnection>> all) : IModuleConnection
{
    public long Id { get; } = id;

    public EndPoint? RemoteEndPoint { get; } = remoteEndPoint;

    public bool IsNew { get; set; } = true;

    public IEnumerable<IModuleConnection> AllConnections => all();

    public async ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        // Asking for the next line means the last one is done with: a reload may switch from here on.
        gate.Idle(this);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!gate.TryBusy(this))
            {
                await gate.WhenResumedAsync(cancellationToken).ConfigureAwait(true);
                continue;
            }

            if (buffer.TryTake(out var line))
            {
                return line;
            }

            gate.Idle(this);
            await buffer.ReceiveAsync(cancellationToken).ConfigureAwait(true);
        }
    }

    public ValueTask WriteLineAsync(string line, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(line);
        return buffer.WriteLineAsync(line, cancellationToken);
    }
}
