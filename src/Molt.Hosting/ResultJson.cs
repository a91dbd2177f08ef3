using System.Globalization;
using System.Text.Json.Nodes;

namespace Molt.Hosting;

/// <summary>
/// The JSON documents of the control channel and of <c>molt … --json</c>: one shape for a reload
/// result, a manifest and a check, so that a tool prints exactly what the process sent.
/// </summary>
/// <remarks>
/// Member names are camelCase; durations are milliseconds rounded to three decimals; times are
/// ISO 8601 (round-trip format); enum values are lower case, except a module's <c>kind</c>.
/// </remarks>
public static class ResultJson
{
    /// <summary>
    /// Writes a reload's result: <c>ok</c>, <c>generation</c>, <c>trigger</c>, <c>startedAt</c>,
    /// <c>durationMs</c>, <c>changed</c> (each with <c>module</c>, <c>kind</c>, <c>generation</c>,
    /// <c>files</c>, <c>cached</c>, <c>reused</c>), <c>unchangedSince</c> (when nothing changed: the
    /// <c>generation</c>, <c>trigger</c> and <c>appliedAt</c> of the reload that applied what serves),
    /// <c>error</c>, <c>diagnostics</c> and <c>timings</c>.
    /// </summary>
    /// <param name="result">The result.</param>
    /// <returns>A new JSON object.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="result"/> is <see langword="null"/>.</exception>
    public static JsonObject Reload(ReloadResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new JsonObject
        {
            ["ok"] = result.Succeeded,
            ["generation"] = result.Generation,
            ["trigger"] = result.Trigger,
            ["startedAt"] = result.StartedAt.ToString("O", CultureInfo.InvariantCulture),
            ["durationMs"] = Math.Round(result.Timings.Total.TotalMilliseconds, 3),
            ["changed"] = new JsonArray([.. result.Changes.Select(Change)]),
            ["unchangedSince"] = result.UnchangedSince is { } since
                ? new JsonObject { ["generation"] = since.Generation, ["trigger"] = since.Trigger, ["appliedAt"] = since.AppliedAt.ToString("O", CultureInfo.InvariantCulture) }
                : null,
            ["error"] = result.Error,
            ["diagnostics"] = Diagnostics(result.Diagnostics),
            ["timings"] = new JsonObject
            {
                ["scanMs"] = Math.Round(result.Timings.Scan.TotalMilliseconds, 3),
                ["compileMs"] = Math.Round(result.Timings.Compile.TotalMilliseconds, 3),
                ["loadMs"] = Math.Round(result.Timings.Load.TotalMilliseconds, 3),
                ["switchMs"] = Math.Round(result.Timings.Switch.TotalMilliseconds, 3),
                ["retireMs"] = Math.Round(result.Timings.Retire.TotalMilliseconds, 3),
            },
        };
    }

    /// <summary>
    /// Writes a manifest: <c>pid</c>, <c>generation</c>, <c>modules</c> (each with <c>name</c>,
    /// <c>kind</c>, <c>generation</c>, <c>hash</c>, <c>files</c>, <c>loadedAt</c>,
    /// <c>dependencies</c>, <c>exports</c>), <c>lastReload</c> (as <see cref="Reload"/>) and
    /// <c>retiredAlive</c>.
    /// </summary>
    /// <param name="manifest">The manifest.</param>
    /// <param name="processId">The process the manifest belongs to.</param>
    /// <returns>A new JSON object.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="manifest"/> is <see langword="null"/>.</exception>
    public static JsonObject Status(MoltManifest manifest, int processId)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return new JsonObject
        {
            ["pid"] = processId,
            ["generation"] = manifest.Generation,
            ["modules"] = new JsonArray([.. manifest.Modules.Select(Module)]),
            ["lastReload"] = manifest.LastReload is { } last ? Reload(last) : null,
            ["retiredAlive"] = Retired(manifest.RetiredAlive),
        };
    }

    /// <summary>Writes the result of <see cref="MoltEngine.CheckAsync"/>: <c>ok</c>, <c>modules</c>, <c>error</c>, <c>durationMs</c>, <c>diagnostics</c>.</summary>
    /// <param name="result">The check's result.</param>
    /// <returns>A new JSON object.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="result"/> is <see langword="null"/>.</exception>
    public static JsonObject Check(ReloadResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new JsonObject
        {
            ["ok"] = result.Succeeded,
            ["modules"] = new JsonArray([.. result.Changes.Select(c => (JsonNode?)JsonValue.Create(c.Module))]),
            ["error"] = result.Error,
            ["durationMs"] = Math.Round(result.Timings.Total.TotalMilliseconds, 3),
            ["diagnostics"] = Diagnostics(result.Diagnostics),
        };
    }

    /// <summary>Retired generations still in memory.</summary>
    internal static JsonArray Retired(IEnumerable<RetiredGenerationInfo> retired) =>
        new([.. retired.Select(r => (JsonNode?)new JsonObject
        {
            ["module"] = r.Module,
            ["generation"] = r.Generation,
            ["retiredAt"] = r.RetiredAt.ToString("O", CultureInfo.InvariantCulture),
            ["status"] = r.Status.ToString().ToLowerInvariant(),
            ["discarded"] = r.Discarded,
        })]);

    /// <summary>Diagnostics, each with <c>file</c>, <c>line</c>, <c>column</c>, <c>id</c>, <c>severity</c>, <c>message</c>.</summary>
    internal static JsonArray Diagnostics(IEnumerable<ModuleDiagnostic> diagnostics) =>
        new([.. diagnostics.Select(d => (JsonNode?)new JsonObject
        {
            ["module"] = d.Module,
            ["file"] = d.File,
            ["line"] = d.Line,
            ["column"] = d.Column,
            ["id"] = d.Id,
            ["severity"] = d.Severity.ToString().ToLowerInvariant(),
            ["message"] = d.Message,
        })]);

    private static JsonNode Change(ModuleChange change) => new JsonObject
    {
        ["module"] = change.Module,
        ["kind"] = change.Kind.ToString().ToLowerInvariant(),
        ["generation"] = change.Generation,
        ["files"] = new JsonArray([.. change.ChangedFiles.Select(f => (JsonNode?)JsonValue.Create(f))]),
        ["cached"] = change.FromCache,
        ["reused"] = change.ReusedImage,
    };

    private static JsonNode Module(ModuleInfo module) => new JsonObject
    {
        ["name"] = module.Name,
        ["kind"] = module.Kind.ToString(),
        ["generation"] = module.Generation,
        ["hash"] = module.Hash,
        ["files"] = new JsonArray([.. module.Files.Select(f => (JsonNode?)JsonValue.Create(f))]),
        ["loadedAt"] = module.LoadedAt.ToString("O", CultureInfo.InvariantCulture),
        ["dependencies"] = new JsonArray([.. module.Dependencies.Select(d => (JsonNode?)JsonValue.Create(d))]),
        ["exports"] = new JsonArray([.. module.Exports.Select(e => (JsonNode?)JsonValue.Create(e))]),
    };
}
