using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Molt.Hosting;

/// <summary>
/// Molt's health: <see cref="HealthStatus.Healthy"/> while the last reload succeeded and no retired
/// generation leaked; <see cref="HealthStatus.Degraded"/> after a failed reload (the previous code
/// serves, the edit did not apply) or a leaked generation (memory grows with every reload), with
/// the reason; <see cref="HealthStatus.Unhealthy"/> while nothing serves (the first load failed).
/// </summary>
internal sealed class MoltHealthCheck(MoltEngine engine) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var manifest = engine.Manifest;
        var leaked = manifest.RetiredAlive.Where(r => r.Status == RetiredStatus.Leaked).Select(r => $"{r.Module}#{r.Generation}").ToArray();
        var data = new Dictionary<string, object>
        {
            ["generation"] = manifest.Generation,
            ["modules"] = manifest.Modules.Count,
            ["leaked"] = leaked,
        };
        var result = manifest.LastReload switch
        {
            { Succeeded: false } failed when manifest.Generation == 0 =>
                HealthCheckResult.Unhealthy($"Nothing serves: the first load failed: {failed.Error}", data: data),
            { Succeeded: false } failed =>
                HealthCheckResult.Degraded($"The last reload failed ({failed.Error}); generation {manifest.Generation} keeps serving.", data: data),
            _ when leaked.Length > 0 =>
                HealthCheckResult.Degraded($"Retired generations leaked (still in memory): {string.Join(", ", leaked)}.", data: data),
            _ => HealthCheckResult.Healthy($"Generation {manifest.Generation} serves {manifest.Modules.Count} module(s).", data),
        };
        return Task.FromResult(result);
    }
}
