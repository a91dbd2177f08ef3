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

    /// <summary>Gets or sets a value indicating whether <c>SIGUSR2</c> starts a hot restart (Linux only).</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool RestartOnSignal { get; set; } = true;

    /// <summary>Gets or sets the backlog of listening sockets bound by <see cref="IHotRestartListeners.GetListener"/>.</summary>
    /// <value>The default is 512.</value>
    public int ListenBacklog { get; set; } = 512;

    /// <summary>Why this host cannot hot-restart, found at registration (a control channel the new process could not bind), or <see langword="null"/>.</summary>
    internal string? Obstacle { get; set; }

    /// <summary>Finds what would stop the new process from starting beside this one: a control socket or TCP port at a fixed address.</summary>
    internal static string? FindObstacle(MoltHostingOptions hosting)
    {
        if (!hosting.EnableControlChannel)
        {
            return null;
        }

        if (hosting.Control.SocketPath is { } path)
        {
            return $"the control socket has a fixed path ({path}), which the new process could not bind while this one serves it; hot restart needs the default per-process socket";
        }

        return hosting.Control.EnableTcp && hosting.Control.TcpPort != 0
            ? $"the control channel has a fixed TCP port ({hosting.Control.TcpPort}), which the new process could not bind while this one serves it; use port 0 with hot restart"
            : null;
    }

    internal void Validate()
    {
        if (ReadyTimeout <= TimeSpan.Zero)
        {
            throw new InvalidOperationException("HotRestartOptions.ReadyTimeout must be positive.");
        }

        if (ListenBacklog <= 0)
        {
            throw new InvalidOperationException("HotRestartOptions.ListenBacklog must be positive.");
        }
    }
}
