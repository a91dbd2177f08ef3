using System.Globalization;
using System.Text.Json.Nodes;

namespace Molt.Hosting.Control;

/// <summary>
/// The JSON documents of the control channel and of <c>molt … --json</c>: one shape for a reload
/// result, a manifest and a check, so the CLI prints exactly what the process sent.
/// </summary>
internal static class ResultJson
{
    /// <summary>A reload's result: <c>ok</c>, <c>generation</c>, <c>changed</c>, <c>durationMs</c>, <c>diagnostics</c>…</summary>
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

    /// <summary>The manifest: <c>pid</c>, <c>generation</c>, <c>modules</c>, <c>lastReload</c>, <c>retiredAlive</c>.</summary>
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

    /// <summary>A check's result: <c>ok</c>, <c>modules</c>, <c>diagnostics</c>, <c>durationMs</c>.</summary>
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
    public static JsonArray Retired(IEnumerable<RetiredGenerationInfo> retired) =>
        new([.. retired.Select(r => (JsonNode?)new JsonObject
        {
            ["module"] = r.Module,
            ["generation"] = r.Generation,
            ["retiredAt"] = r.RetiredAt.ToString("O", CultureInfo.InvariantCulture),
            ["status"] = r.Status.ToString().ToLowerInvariant(),
            ["discarded"] = r.Discarded,
        })]);

    /// <summary>Diagnostics, each with <c>file</c>, <c>line</c>, <c>column</c>, <c>id</c>, <c>severity</c>, <c>message</c>.</summary>
    public static JsonArray Diagnostics(IEnumerable<ModuleDiagnostic> diagnostics) =>
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
