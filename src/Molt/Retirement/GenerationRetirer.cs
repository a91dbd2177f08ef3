using Microsoft.Extensions.Logging;
using Molt.Loading;

namespace Molt.Retirement;

/// <summary>
/// The last stage of a reload, and the undo of a failed one: retires a generation (its tracked calls
/// drained, its unload hook, everything its context registered undone), drops the engine's
/// references into it, unloads its load context and hands it to the verifier that proves it collected.
/// </summary>
internal sealed class GenerationRetirer(MoltOptions options, UnloadVerifier verifier, ILogger logger)
{
    private readonly List<ModuleLoadContext> _keptForever = [];
    private readonly MetadataUpdateHandlers _handlers = new(logger);

    /// <summary>
    /// Retires <paramref name="generation"/>. Never throws: each step is isolated, so a failing
    /// step cannot keep the others (and the unload) from happening.
    /// </summary>
    /// <param name="generation">The generation.</param>
    /// <param name="discarded">Whether it never served (a failed reload loaded it).</param>
    /// <param name="diagnostics">Where a failing unload hook is reported.</param>
    public async Task RetireAsync(Generation generation, bool discarded, List<ModuleDiagnostic> diagnostics)
    {
        if (generation.IsRetired)
        {
            return;
        }

        var retiredAt = options.TimeProvider.GetUtcNow();
        var context = generation.Context;
        Isolated(generation, "cancelling its Retired token", context.Cancel);

        // Calls still running finish before the unload hook disposes what they may be using; the
        // Retired token, fired first, is how long calls learn they should stop.
        await DrainAsync(generation).ConfigureAwait(false);
        if (generation.Lifecycle is { } lifecycle && generation.IsInitialised)
        {
            var failure = await HookRunner.RunAsync(() => lifecycle.OnUnloadAsync(context), options.UnloadTimeout, options.TimeProvider).ConfigureAwait(false);
            if (failure is not null)
            {
                diagnostics.Add(failure.ToDiagnostic(generation.Build, "unload hook", MoltDiagnosticIds.UnloadHookFailed) with { Severity = DiagnosticSeverity.Warning });
                Log.Diagnostic(logger, diagnostics[^1].ToString());
            }
        }

        Isolated(generation, "releasing what its context registered", context.Release);
        if (options.UnloadRetiredGenerations && options.InvokeMetadataUpdateHandlers)
        {
            // Its code no longer runs (calls drained, unload hook done): what caches hold of it can go.
            Isolated(generation, "calling the metadata update handlers", () => _handlers.Invoke(generation, diagnostics));
        }

        if (generation.Detach() is not { } loadContext)
        {
            return;
        }

        if (options.UnloadRetiredGenerations)
        {
            Isolated(generation, "unloading its load context", loadContext.Unload);
            verifier.Track(new RetiredGeneration(generation.Module, generation.Number, generation.LoadContextReference, retiredAt, discarded));
        }
        else
        {
            _keptForever.Add(loadContext);
        }
    }

    /// <summary>
    /// Unloads what a load that timed out loaded once it finished after all: it never became a
    /// generation, but its load context must still go (and is followed like any other).
    /// </summary>
    public void UnloadOrphan(ModuleBuild build, LoadedImage image)
    {
        var reference = new WeakReference(image.LoadContext);
        image.LoadContext.Unload();
        verifier.Track(new RetiredGeneration(build.Module, build.Number, reference, options.TimeProvider.GetUtcNow(), discarded: true));
    }

    /// <summary>Waits, bounded by <see cref="MoltOptions.DrainTimeout"/>, for tracked calls still running in a retiring generation.</summary>
    public async Task DrainAsync(Generation generation)
    {
        if (generation.ActiveCalls == 0)
        {
            return;
        }

        var time = options.TimeProvider;
        var started = time.GetTimestamp();
        var delay = TimeSpan.FromMilliseconds(1);
        while (generation.ActiveCalls > 0 && time.GetElapsedTime(started) < options.DrainTimeout)
        {
            await Task.Delay(delay, time).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromMilliseconds(50).Ticks));
        }

        if (generation.ActiveCalls > 0)
        {
            Log.DrainTimedOut(logger, generation.Module, generation.Number, generation.ActiveCalls);
        }
    }

    private void Isolated(Generation generation, string step, Action action)
    {
        try
        {
            action();
        }
        catch (Exception ex)
        {
            Log.RetireStepFailed(logger, generation.Module, generation.Number, step, ex);
        }
    }
}
