namespace Molt.Hosting;

/// <summary>Configures hot restart: replacing the whole process while its listening sockets keep accepting. Every option has a documented default.</summary>
public sealed class HotRestartOptions
{
    /// <summary>
    /// Gets or sets how long the new process has, from being started to being ready (its host
    /// started, so its servers accept), before it is killed and the restart fails; the old process
    /// goes on serving either way until the new one is ready.
    /// </summary>
    /// <value>The default is 30 seconds.</value>
    public TimeSpan ReadyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets how long the old process has, once the new one is ready, to finish the work in
    /// flight (requests its servers had accepted, the hosted services' stops) before what is left is
    /// cut off: it becomes the old process's <c>HostOptions.ShutdownTimeout</c>, so Kestrel aborts
    /// the requests still running at the end of it, and the process exits.
    /// </summary>
    /// <value>The default is <see langword="null"/>: the host's own <c>HostOptions.ShutdownTimeout</c> (30 seconds unless configured).</value>
    public TimeSpan? DrainTimeout { get; set; }

    /// <summary>
    /// Gets or sets how long a hand-over waits for each transferable connection
    /// (<see cref="IHotRestartConnections"/>) to be at a clean point: the program back in a read, so
    /// a line it read has been answered. A connection not there in time fails the restart (nothing
    /// changes; the old process goes on serving).
    /// </summary>
    /// <value>The default is 10 seconds.</value>
    public TimeSpan ConnectionPauseTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets a value indicating whether <c>SIGUSR2</c> starts a hot restart (Linux only).</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool RestartOnSignal { get; set; } = true;

    /// <summary>Gets or sets the backlog of listening sockets bound by <see cref="IHotRestartListeners.GetListener"/>.</summary>
    /// <value>The default is 512.</value>
    public int ListenBacklog { get; set; } = 512;

    internal void Validate()
    {
        if (ReadyTimeout <= TimeSpan.Zero)
        {
            throw new InvalidOperationException("HotRestartOptions.ReadyTimeout must be positive.");
        }

        if (DrainTimeout is { } drain && drain < TimeSpan.Zero && drain != Timeout.InfiniteTimeSpan)
        {
            throw new InvalidOperationException("HotRestartOptions.DrainTimeout must not be negative (Timeout.InfiniteTimeSpan waits for the work in flight however long it takes).");
        }

        if (ConnectionPauseTimeout <= TimeSpan.Zero)
        {
            throw new InvalidOperationException("HotRestartOptions.ConnectionPauseTimeout must be positive.");
        }

        if (ListenBacklog <= 0)
        {
            throw new InvalidOperationException("HotRestartOptions.ListenBacklog must be positive.");
        }
    }
}
