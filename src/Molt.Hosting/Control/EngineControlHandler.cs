using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;
using Molt.Control;

namespace Molt.Hosting.Control;

/// <summary>Answers the control channel with the engine: reload, status, verify, snapshot, stop.</summary>
internal sealed class EngineControlHandler(MoltEngine engine, IHostApplicationLifetime lifetime) : IControlHandler
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
                return ControlReply.Success(ResultJson.Reload(result));
            case ControlCommands.Status:
                return ControlReply.Success(ResultJson.Status(engine.Manifest, Environment.ProcessId));
            case ControlCommands.Verify:
                // The verifier's own timeout bounds this; the server's token covers a stop meanwhile.
                await engine.WhenUnloadsVerifiedAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
                var retired = engine.Manifest.RetiredAlive;
                return ControlReply.Success(new JsonObject
                {
                    ["ok"] = !retired.Any(r => r.Status == RetiredStatus.Leaked),
                    ["retiredAlive"] = ResultJson.Retired(retired),
                });
            case ControlCommands.Snapshot:
                if (engine.Options.StateSnapshotPath is null)
                {
                    return ControlReply.Failure(NotConfigured, "No state snapshot file is configured (MoltOptions.StateSnapshotPath; molt run --snapshot <file>).");
                }

                var saved = await engine.SaveStateSnapshotAsync(cancellationToken).ConfigureAwait(false);
                return ControlReply.Success(new JsonObject
                {
                    ["path"] = saved.Path,
                    ["written"] = saved.Written,
                    ["skipped"] = new JsonArray([.. saved.Skipped.Select(s => (JsonNode?)JsonValue.Create(s))]),
                });
            case ControlCommands.Stop:
                lifetime.StopApplication();
                return ControlReply.Success(new JsonObject { ["stopping"] = true, ["pid"] = Environment.ProcessId });
            default:
                return ControlReply.Failure(ControlErrorCodes.UnknownCommand, $"Unknown command '{request.Command}'.");
        }
    }
}
