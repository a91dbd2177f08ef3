using Microsoft.Extensions.Hosting;
using Molt.Control;
using Molt.Hosting.HotRestart;

namespace Molt.Hosting.Control;

/// <summary>Answers the control channel with the engine: reload, status, verify, snapshot, stop, restart.</summary>
internal sealed class EngineControlHandler(MoltEngine engine, IHostApplicationLifetime lifetime, HotRestarter? restarter = null) : IControlHandler
{
    /// <summary>The error code of <c>snapshot</c> when the engine has no state snapshot file configured.</summary>
    public const string NotConfigured = "not_configured";

    public async Task<ControlReply> HandleAsync(ControlRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        switch (request.Command)
        {
            case ControlCommands.Reload:
                var result = await engine.ReloadAsync("control", cancellationToken).ConfigureAwait(false);
                return ControlReply.Success(ControlReplies.Reload(result), ControlJson.ReloadReply);
            case ControlCommands.Status:
                return ControlReply.Success(ControlReplies.Status(engine.Manifest, Environment.ProcessId), ControlJson.StatusReply);
            case ControlCommands.Verify:
                // The verifier's own timeout bounds this; the server's token covers a stop meanwhile.
                await engine.WhenUnloadsVerifiedAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
                var retired = engine.Manifest.RetiredAlive;
                return ControlReply.Success(
                    new VerifyReply { Ok = !retired.Any(r => r.Status == RetiredStatus.Leaked), RetiredAlive = ControlReplies.Retired(retired) },
                    ControlJson.VerifyReply);
            case ControlCommands.Snapshot:
                if (engine.Options.StateSnapshotPath is null)
                {
                    return ControlReply.Failure(NotConfigured, "No state snapshot file is configured (MoltOptions.StateSnapshotPath; molt run --snapshot <file>).");
                }

                var saved = await engine.SaveStateSnapshotAsync(cancellationToken).ConfigureAwait(false);
                return ControlReply.Success(
                    new SnapshotReply { Path = saved.Path, Written = saved.Written, Skipped = saved.Skipped },
                    ControlJson.SnapshotReply);
            case ControlCommands.Stop:
                lifetime.StopApplication();
                return ControlReply.Success(new StopReply { Stopping = true, Pid = Environment.ProcessId }, ControlJson.StopReply);
            case ControlCommands.Restart:
                if (restarter is null)
                {
                    return ControlReply.Failure(NotConfigured, "Hot restart is not enabled in this host (services.AddMoltHotRestart()).");
                }

                return ControlReply.Success(await restarter.RestartAsync("control", cancellationToken).ConfigureAwait(false), ControlJson.RestartReply);
            default:
                return ControlReply.Failure(ControlErrorCodes.UnknownCommand, $"Unknown command '{request.Command}'.");
        }
    }
}
