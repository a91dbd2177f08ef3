using System.Net;
using Molt.Hosting.Triggers;

namespace Molt.Hosting;

/// <summary>
/// What Molt is doing in a host: the first load's result, where the control channel listens, and
/// which triggers run. <see cref="MoltServiceCollectionExtensions.AddMolt(Microsoft.Extensions.DependencyInjection.IServiceCollection, Action{MoltHostingOptions})"/> registers it as a
/// singleton; its values are set while the host starts, and are final once it has started.
/// </summary>
public sealed class MoltHostStatus
{
    private readonly ReloadScheduler _scheduler;

    internal MoltHostStatus(ReloadScheduler scheduler) => _scheduler = scheduler;

    /// <summary>Gets the scheduler every trigger of the host goes through.</summary>
    internal ReloadScheduler Scheduler => _scheduler;

    /// <summary>Gets the result of the first load, or <see langword="null"/> until it succeeded (a failed first load stops the host's start with a <see cref="MoltReloadException"/>).</summary>
    public ReloadResult? StartResult { get; internal set; }

    /// <summary>Gets the control channel's Unix socket path, or <see langword="null"/> when the channel is off, not started yet, or stopped.</summary>
    public string? ControlSocketPath { get; internal set; }

    /// <summary>Gets the control channel's TCP address and port, or <see langword="null"/> when TCP is off, not started yet, or stopped.</summary>
    public IPEndPoint? ControlTcpEndPoint { get; internal set; }

    /// <summary>Gets a value indicating whether the module files are watched (watching was asked for, and every watcher started).</summary>
    public bool IsWatching { get; internal set; }

    /// <summary>Gets a value indicating whether the module files are polled.</summary>
    public bool IsPolling { get; internal set; }

    /// <summary>
    /// Returns whether a file change was seen after <paramref name="result"/>'s reload started. A
    /// failed reload the watcher or the poller triggered may then have read a save still in
    /// progress, and a follow-up reload, already queued, has the newer files: a host that prints
    /// failures may skip this one and let the follow-up report the outcome.
    /// </summary>
    /// <param name="result">A reload's result, usually from <see cref="MoltEngine.ReloadFailed"/>.</param>
    /// <returns><see langword="true"/> when newer file events arrived after the reload started.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="result"/> is <see langword="null"/>.</exception>
    public bool IsSuperseded(ReloadResult result) => _scheduler.IsSuperseded(result);
}
