namespace Molt.Hosting;

/// <summary>Configures Molt in a Generic Host: the engine, what triggers a reload, and the control channel. Every option has a documented default.</summary>
public sealed class MoltHostingOptions
{
    /// <summary>Gets the engine's options: module directories, modules, references, timeouts and the clock.</summary>
    /// <value>
    /// The default is a fresh <see cref="MoltOptions"/>; add at least one module directory or module.
    /// <see cref="MoltOptions.Services"/> is set to the host's service provider when left <see langword="null"/>,
    /// so modules resolve the host's services. <see cref="MoltOptions.TimeProvider"/> is also the clock of the triggers.
    /// </value>
    public MoltOptions Engine { get; } = new();

    /// <summary>
    /// Gets or sets a value indicating whether a start on sources compiled before loads them from the
    /// compilation cache: when <see cref="MoltOptions.CompilationCachePath"/> is not set, it becomes
    /// <see cref="MoltOptions.DefaultCompilationCachePath"/>. Without it every start compiles every module.
    /// </summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool UseCompilationCache { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether module files are watched, and a save reloads.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool WatchFiles { get; set; } = true;

    /// <summary>
    /// Gets or sets how long the watcher waits after the last file event of a burst before it reloads.
    /// Editors save with a few system calls in quick succession; the window lets one save give one reload.
    /// It is measured from the last event, so it only delays a reload while events keep coming.
    /// </summary>
    /// <value>The default is 5 milliseconds.</value>
    public TimeSpan SettleWindow { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>
    /// Gets or sets how long the watcher waits instead of <see cref="SettleWindow"/> when the last event
    /// left the files looking half-saved: a module file deleted or renamed away, or a module file empty.
    /// Editors that delete then create, rename the old file to a backup, or truncate then write pass
    /// through such states; waiting avoids reloading them. A real deletion is applied after this wait.
    /// </summary>
    /// <value>The default is 250 milliseconds.</value>
    public TimeSpan MidSaveGrace { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Gets or sets when the module files are polled for changes.</summary>
    /// <value>The default is <see cref="PollingMode.Fallback"/>: only when watching was asked for but failed.</value>
    public PollingMode Polling { get; set; } = PollingMode.Fallback;

    /// <summary>Gets or sets how often the module files are polled, when they are.</summary>
    /// <value>The default is 500 milliseconds (racket-reloadable's interval).</value>
    public TimeSpan PollingInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Gets or sets how long after a failed reload it is retried even if no file changed (racket-reloadable
    /// retries after 5 seconds). A failed reload is always retried when the files change again.
    /// </summary>
    /// <value>The default is <see langword="null"/>: no timed retry.</value>
    public TimeSpan? RetryDelay { get; set; }

    /// <summary>Gets or sets a value indicating whether <c>SIGUSR1</c> and <c>SIGHUP</c> reload (Unix only).</summary>
    /// <value>The default is <see langword="true"/>. <c>SIGINT</c> and <c>SIGTERM</c> stop the host either way (through its lifetime).</value>
    public bool ReloadOnSignals { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether the control channel (<c>molt reload</c>, <c>molt status</c>…) is served (Linux only).</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool EnableControlChannel { get; set; } = true;

    /// <summary>Gets the control channel's options (socket path, optional TCP).</summary>
    /// <value>The default is a fresh <see cref="ControlChannelOptions"/>: the per-process socket in the user's runtime directory, no TCP.</value>
    public ControlChannelOptions Control { get; } = new();

    internal void Validate()
    {
        if (SettleWindow < TimeSpan.Zero || MidSaveGrace < TimeSpan.Zero)
        {
            throw new InvalidOperationException("SettleWindow and MidSaveGrace must not be negative.");
        }

        if (PollingInterval <= TimeSpan.Zero)
        {
            throw new InvalidOperationException("PollingInterval must be positive.");
        }

        if (RetryDelay is { } retry && retry <= TimeSpan.Zero)
        {
            throw new InvalidOperationException("RetryDelay must be positive when set.");
        }

        if (EnableControlChannel)
        {
            // Checked here, so that a TCP port without a token fails before the engine is even created.
            _ = Control.ToServerOptions();
        }
    }
}
