using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Molt.Control;

namespace Molt.Hosting.HotRestart;

/// <summary>
/// One hot restart, from the old process's side: bind the hand-over socket, start the new process,
/// give it the listeners and the state, and wait for it to be ready. Any failure kills the new
/// process and leaves this one as it was.
/// </summary>
internal sealed class HandoverAttempt(MoltEngine engine, HotRestartListeners listeners, HotRestartOptions options, string directory, ILogger logger)
{
    private readonly List<HotRestartConnection> _suspended = [];
    private string? _temporarySnapshot;

    public int? NewPid { get; private set; }

    public IReadOnlyList<string> Listeners { get; private set; } = [];

    public IReadOnlyList<string> Connections { get; private set; } = [];

    /// <summary>Runs the hand-over; returns once the new process is ready.</summary>
    /// <exception cref="HotRestartFailedException">The new process did not become ready; it was killed.</exception>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var path = Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessId}.handover.sock"));
        var serverOptions = new ControlServerOptions { TimeProvider = engine.Options.TimeProvider };
        var file = await UnixSocketFile.BindAsync(path, serverOptions, LibC.GetEffectiveUserId(), logger, cancellationToken).ConfigureAwait(false);
        Process? child = null;
        try
        {
            child = ReplacementProcess.Start(path);
            NewPid = child.Id;
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(options.ReadyTimeout);
            await HandOverAsync(file.Listener, child, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not HotRestartFailedException)
        {
            await AbandonAsync(child).ConfigureAwait(false);
            var reason = cancellationToken.IsCancellationRequested ? "the restart was cancelled"
                : ex is OperationCanceledException or TimeoutException ? $"the new process was not ready within {options.ReadyTimeout.TotalSeconds:0.#} s and was killed"
                : ex.Message;
            throw new HotRestartFailedException(reason, ex);
        }
        catch
        {
            await AbandonAsync(child).ConfigureAwait(false);
            throw;
        }
        finally
        {
            file.Close();
            child?.Dispose();
        }
    }

    private async Task HandOverAsync(Socket listener, Process child, CancellationToken cancellationToken)
    {
        var exited = child.WaitForExitAsync(cancellationToken);
        using var peer = await AcceptAsync(listener, child, exited, cancellationToken).ConfigureAwait(false);
        var offer = await OfferAsync(cancellationToken).ConfigureAwait(false);
        var kept = listeners.All();
        // The connections by name and state only: they go on serving here while the new process starts.
        var live = listeners.Connections.All();
        await Task.Run(() =>
        {
            DescriptorPassing.Send(peer, HandoverChannel.Marker, [.. kept.Select(l => (int)l.Value.Handle)]);
            HandoverChannel.Write(peer, offer with
            {
                Listeners = [.. kept.Select(l => l.Key)],
                Connections = [.. live.Select(c => new HandedOverConnection { Name = c.Name, State = c.State })],
            });
        }, cancellationToken).ConfigureAwait(false);
        Listeners = [.. kept.Select(l => l.Key)];
        await ExpectAsync(peer, HandoverMessage.Ready, (child, exited), "before it was ready", cancellationToken).ConfigureAwait(false);

        if (live.Count > 0)
        {
            // Only now, with the new process ready, are the connections paused: their peers wait
            // for the exchange below (milliseconds), not for the new process's start.
            var connections = await SuspendConnectionsAsync(live, cancellationToken).ConfigureAwait(false);
            await Task.Run(() =>
            {
                DescriptorPassing.Send(peer, HandoverChannel.Marker, [.. _suspended.Select(c => c.Descriptor)]);
                HandoverChannel.Write(peer, new HandoverMessage { Type = HandoverMessage.Transfer, Pid = Environment.ProcessId, Connections = connections });
            }, cancellationToken).ConfigureAwait(false);
            await ExpectAsync(peer, HandoverMessage.Taken, (child, exited), "before it took the connections", cancellationToken).ConfigureAwait(false);
            Connections = [.. connections.Select(c => c.Name)];
        }

        // From here the new process serves: this one's state file must not overwrite what it restored.
        engine.Options.SnapshotOnStop = false;
        foreach (var connection in _suspended)
        {
            connection.Release();
        }

        _suspended.Clear();
        HandoverChannel.Write(peer, new HandoverMessage { Type = HandoverMessage.Ack, Pid = Environment.ProcessId });
    }

    private static async Task<Socket> AcceptAsync(Socket listener, Process child, Task exited, CancellationToken cancellationToken)
    {
        var accept = listener.AcceptAsync(cancellationToken).AsTask();
        await Task.WhenAny(accept, exited).ConfigureAwait(false);
        if (!accept.IsCompleted)
        {
            await exited.ConfigureAwait(false);
            throw Exited(child, "before it connected to the hand-over socket");
        }

        var peer = await accept.ConfigureAwait(false);
        var credentials = PeerCredentials.Read(peer);
        if (credentials.UserId != LibC.GetEffectiveUserId())
        {
            peer.Dispose();
            throw new HotRestartFailedException($"the hand-over socket was reached by uid {credentials.UserId}, not by the current user");
        }

        return peer;
    }

    /// <summary>Waits for the new process's next message, which must be <paramref name="type"/>; fails if it exits first.</summary>
    private static async Task ExpectAsync(Socket peer, string type, (Process Process, Task Exited) child, string when, CancellationToken cancellationToken)
    {
        var message = Task.Run(() => HandoverChannel.Read(peer, Timeout.InfiniteTimeSpan, cancellationToken), cancellationToken);
        await Task.WhenAny(message, child.Exited).ConfigureAwait(false);
        if (!message.IsCompleted || await message.ConfigureAwait(false) is not { } received || received.Type != type)
        {
            await child.Exited.ConfigureAwait(false);
            throw Exited(child.Process, when);
        }
    }

    /// <summary>Pauses the established connections at a clean point (no read waiting, no write half done).</summary>
    private async Task<List<HandedOverConnection>> SuspendConnectionsAsync(IReadOnlyList<HotRestartConnection> live, CancellationToken cancellationToken)
    {
        var handed = new List<HandedOverConnection>();
        foreach (var connection in live)
        {
            if (await connection.SuspendAsync(options.ConnectionPauseTimeout, cancellationToken).ConfigureAwait(false) is { } suspended)
            {
                _suspended.Add(connection);
                handed.Add(suspended);
            }
        }

        return handed;
    }

    private async Task<HandoverMessage> OfferAsync(CancellationToken cancellationToken)
    {
        var state = engine.Options;
        string? snapshot = state.StateSnapshotPath;
        if (snapshot is null)
        {
            // The host keeps no snapshot of its own: write one beside the hand-over socket, for the new process only.
            _temporarySnapshot = Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessId}.handover.state"));
            state.StateSnapshotPath = _temporarySnapshot;
            try
            {
                snapshot = (await engine.SaveStateSnapshotAsync(cancellationToken).ConfigureAwait(false)).Path;
            }
            finally
            {
                state.StateSnapshotPath = null;
            }
        }
        else
        {
            snapshot = (await engine.SaveStateSnapshotAsync(cancellationToken).ConfigureAwait(false)).Path;
        }

        return new HandoverMessage { Type = HandoverMessage.Offer, Pid = Environment.ProcessId, SnapshotPath = snapshot, SnapshotIsTemporary = _temporarySnapshot is not null };
    }

    private static HotRestartFailedException Exited(Process child, string when) =>
        new(string.Create(CultureInfo.InvariantCulture, $"the new process (pid {child.Id}) exited with code {child.ExitCode} {when}"));

    private async Task AbandonAsync(Process? child)
    {
        try
        {
            if (child is not null && !child.HasExited)
            {
                child.Kill(entireProcessTree: true);
                using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await child.WaitForExitAsync(bound.Token).ConfigureAwait(false);
            }
        }
        finally
        {
            // Only once the new process is gone: it never read from them (its reads wait until the hand-over is final), and now cannot.
            foreach (var connection in _suspended)
            {
                connection.Resume();
            }

            _suspended.Clear();
            if (_temporarySnapshot is not null)
            {
                File.Delete(_temporarySnapshot);
            }
        }
    }
}
