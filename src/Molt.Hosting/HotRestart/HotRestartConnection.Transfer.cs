using System.Net.Sockets;
using Molt.Connections;
using Molt.Hosting.HotRestart;

namespace Molt.Hosting;

/// <summary>
/// The connection's part in a hand-over. In the old process: suspended (no read waits on the
/// socket, no write is half done), then resumed if the new process failed, or released if it took
/// over. In the new process: held (reads wait, writes are queued) until the hand-over is committed.
/// </summary>
public sealed partial class HotRestartConnection
{
    private readonly Lock _stateGate = new();
    private CancellationTokenSource _receiveStop = new();
    private TaskCompletionSource? _paused;
    private List<byte[]>? _queuedWrites;
    private bool _released;
    private bool _disposed;

    /// <summary>Whether the program has what a read returned and has not come back to read (it may still answer).</summary>
    private bool _busy;
    private TaskCompletionSource? _idle;

    /// <summary>Closes the connection (in the process that handed it over, lets go of it and nothing more).</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_stateGate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _receiveStop.Cancel();
        }

        _owner.Remove(this);
        // A read in progress stops (its bytes are kept); a hand-over in progress ends first.
        await _readGate.WaitAsync().ConfigureAwait(false);
        await _writeGate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (!_released)
            {
                _socket?.Dispose();
            }
        }
        finally
        {
            _writeGate.Release();
            _readGate.Release();
            Unpause();
        }
    }

    /// <summary>
    /// A connection the previous process offered: its state as of the offer, no socket yet (it comes
    /// through <see cref="Attach"/> once this process is ready); held until <see cref="Commit"/>.
    /// </summary>
    internal static HotRestartConnection Held(string name, HotRestartConnections owner, HandedOverConnection offered)
    {
        var connection = new HotRestartConnection(name, socket: null, owner)
        {
            WasHandedOver = true,
            State = offered.State,
        };
        connection._paused = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection._queuedWrites = [];
        return connection;
    }

    /// <summary>The socket, the bytes the old process received and did not read, and its final state.</summary>
    internal void Attach(Socket socket, HandedOverConnection transferred)
    {
        lock (_stateGate)
        {
            if (_disposed)
            {
                socket.Dispose();
                return;
            }

            _socket = socket;
            _received = new ReceivedBytes(transferred.Pending);
            State = transferred.State;
        }
    }

    /// <summary>
    /// Stops reading and writing at a clean point — the program waiting in a read, so what it read
    /// before is handled and answered — and returns what the new process needs; <see langword="null"/> when the connection is closed.
    /// </summary>
    /// <exception cref="HotRestartFailedException">The program did not come back to a read within <paramref name="idleTimeout"/>.</exception>
    internal async Task<HandedOverConnection?> SuspendAsync(TimeSpan idleTimeout, CancellationToken cancellationToken)
    {
        Task idle;
        lock (_stateGate)
        {
            if (_disposed || _released)
            {
                return null;
            }

            _paused ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _receiveStop.Cancel();
            idle = _busy ? (_idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task : Task.CompletedTask;
        }

        try
        {
            // What the program read last must be handled (answered) here: wait until it reads again.
            await idle.WaitAsync(idleTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Unpause();
            throw new HotRestartFailedException($"the connection '{Name}' was not back at a read within {idleTimeout.TotalSeconds:0.#} s (a line it read is still being handled; HotRestartOptions.ConnectionPauseTimeout)");
        }
        catch (OperationCanceledException)
        {
            Unpause();
            throw;
        }

        await _readGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _readGate.Release();
            Unpause();
            throw;
        }

        return new HandedOverConnection { Name = Name, Pending = _received.Pending.ToArray(), State = State };
    }

    /// <summary>The descriptor to pass; valid while suspended.</summary>
    internal int Descriptor => (int)_socket!.SafeHandle.DangerousGetHandle();

    /// <summary>The new process failed: go on as before.</summary>
    internal void Resume()
    {
        _writeGate.Release();
        _readGate.Release();
        Unpause();
    }

    /// <summary>The new process took over: close this process's descriptor (the connection lives on there) and fail what waits here.</summary>
    internal void Release()
    {
        lock (_stateGate)
        {
            _released = true;
        }

        // No operation is pending on the socket (both gates are held), so closing it is only a close():
        // no shutdown() that the peer or the new process would see.
        _socket!.Dispose();
        _handedOver.Cancel();
        Resume();
    }

    /// <summary>The hand-over is final: flush what was written meanwhile and let reads through.</summary>
    internal void Commit()
    {
        _writeGate.Wait();
        try
        {
            if (_socket is null)
            {
                // The old process closed it before the transfer: to the program, the peer is gone.
                _received.Ended = true;
                return;
            }

            foreach (var bytes in _queuedWrites ?? [])
            {
                var rest = bytes.AsMemory();
                while (!rest.IsEmpty)
                {
                    rest = rest[_socket!.SendAsync(rest, SocketFlags.None).AsTask().GetAwaiter().GetResult()..];
                }
            }
        }
        catch (SocketException)
        {
            // The peer went away meanwhile: the next read says so.
        }
        finally
        {
            _queuedWrites = null;
            _writeGate.Release();
            Unpause();
        }
    }

    /// <summary>Queues a write made before the hand-over is final; called with the write gate held.</summary>
    private bool TryQueueUntilCommitted(ReadOnlySpan<byte> bytes)
    {
        ThrowIfUnusable();
        if (_queuedWrites is null)
        {
            return false;
        }

        _queuedWrites.Add(bytes.ToArray());
        return true;
    }

    private Task? PausedTask()
    {
        lock (_stateGate)
        {
            return _paused?.Task;
        }
    }

    private void Unpause()
    {
        TaskCompletionSource? paused;
        lock (_stateGate)
        {
            if (_receiveStop.IsCancellationRequested && !_disposed)
            {
                // Not disposed: a read that was stopped may still hold a token linked to it.
                _receiveStop = new CancellationTokenSource();
            }

            (paused, _paused) = (_paused, null);
        }

        paused?.TrySetResult();
    }

    private void ThrowIfUnusable()
    {
        lock (_stateGate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_released)
            {
                throw new OperationCanceledException($"The connection '{Name}' was handed over to the new process of a hot restart.", _handedOver.Token);
            }
        }
    }
}
