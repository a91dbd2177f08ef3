using Molt.Control;

namespace Molt.Hosting;

/// <summary>
/// Maps the engine's results into the control channel's records (<see cref="ReloadReply"/>,
/// <see cref="StatusReply"/>, <see cref="CheckReply"/>), which <see cref="ControlJson"/> writes:
/// the control channel, <c>molt run</c> and <c>molt … --json</c> show a reload the same way.
/// </summary>
/// <remarks>
/// Durations are milliseconds rounded to three decimals; enum values are lower case, except a
/// module's <c>kind</c>, which keeps the engine's spelling (<c>SourceFile</c>).
/// </remarks>
public static class ControlReplies
{
    /// <summary>Maps a reload's result.</summary>
    /// <param name="result">The result.</param>
    /// <returns>The record <c>reload</c> replies with.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="result"/> is <see langword="null"/>.</exception>
    public static ReloadReply Reload(ReloadResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new ReloadReply
        {
            Ok = result.Succeeded,
            Generation = result.Generation,
            Trigger = result.Trigger,
            StartedAt = result.StartedAt,
            DurationMs = Milliseconds(result.Timings.Total),
            Changed = [.. result.Changes.Select(Change)],
            UnchangedSince = result.UnchangedSince is { } since
                ? new ServingReload { Generation = since.Generation, Trigger = since.Trigger, AppliedAt = since.AppliedAt }
                : null,
            Error = result.Error,
            Diagnostics = Diagnostics(result.Diagnostics),
            Timings = new PhaseTimings
            {
                ScanMs = Milliseconds(result.Timings.Scan),
                CompileMs = Milliseconds(result.Timings.Compile),
                LoadMs = Milliseconds(result.Timings.Load),
                SwitchMs = Milliseconds(result.Timings.Switch),
                RetireMs = Milliseconds(result.Timings.Retire),
            },
        };
    }

    /// <summary>Maps a manifest.</summary>
    /// <param name="manifest">The manifest.</param>
    /// <param name="processId">The process the manifest belongs to.</param>
    /// <returns>The record <c>status</c> replies with.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="manifest"/> is <see langword="null"/>.</exception>
    public static StatusReply Status(MoltManifest manifest, int processId)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return new StatusReply
        {
            Pid = processId,
            Generation = manifest.Generation,
            Modules = [.. manifest.Modules.Select(Module)],
            LastReload = manifest.LastReload is { } last ? Reload(last) : null,
            RetiredAlive = Retired(manifest.RetiredAlive),
        };
    }

    /// <summary>Maps the result of <see cref="MoltEngine.CheckAsync"/>.</summary>
    /// <param name="result">The check's result.</param>
    /// <returns>The record <c>molt check --json</c> prints.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="result"/> is <see langword="null"/>.</exception>
    public static CheckReply Check(ReloadResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new CheckReply
        {
            Ok = result.Succeeded,
            Modules = [.. result.Changes.Select(c => c.Module)],
            Error = result.Error,
            DurationMs = Milliseconds(result.Timings.Total),
            Diagnostics = Diagnostics(result.Diagnostics),
        };
    }

    /// <summary>Maps retired generations still in memory.</summary>
    internal static RetiredModuleGeneration[] Retired(IEnumerable<RetiredGenerationInfo> retired) =>
        [.. retired.Select(r => new RetiredModuleGeneration
        {
            Module = r.Module,
            Generation = r.Generation,
            RetiredAt = r.RetiredAt,
            Status = Lower(r.Status),
            Discarded = r.Discarded,
        })];

    private static ReloadDiagnostic[] Diagnostics(IEnumerable<ModuleDiagnostic> diagnostics) =>
        [.. diagnostics.Select(d => new ReloadDiagnostic
        {
            Module = d.Module,
            File = d.File,
            Line = d.Line,
            Column = d.Column,
            Id = d.Id,
            Severity = Lower(d.Severity),
            Message = d.Message,
        })];

    private static ChangedModule Change(ModuleChange change) => new()
    {
        Module = change.Module,
        Kind = Lower(change.Kind),
        Generation = change.Generation,
        Files = change.ChangedFiles,
        Cached = change.FromCache,
        Reused = change.ReusedImage,
    };

    private static LoadedModule Module(ModuleInfo module) => new()
    {
        Name = module.Name,
        Kind = module.Kind.ToString(),
        Generation = module.Generation,
        Hash = module.Hash,
        Files = module.Files,
        LoadedAt = module.LoadedAt,
        Dependencies = module.Dependencies,
        Exports = module.Exports,
    };

    private static double Milliseconds(TimeSpan duration) => Math.Round(duration.TotalMilliseconds, 3);

    private static string Lower<TEnum>(TEnum value)
        where TEnum : struct, Enum => value.ToString().ToLowerInvariant();
}
