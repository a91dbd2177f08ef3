using System.Diagnostics;

namespace Molt;

/// <summary>
/// A span per reload from the activity source <c>Molt</c>: <c>molt.reload</c>, with the trigger,
/// the outcome, the generation, the modules that changed and each phase's duration (seconds) as
/// attributes; an error status with the first diagnostic's id on failure.
/// </summary>
internal static class ReloadTelemetry
{
    public const string SourceName = "Molt";
    public const string Outcome = "molt.reload.outcome";
    public const string ErrorType = "error.type";

    private static readonly ActivitySource s_source = new(SourceName, typeof(ReloadTelemetry).Assembly.GetName().Version?.ToString());

    /// <summary>Starts the span of a reload, or returns <see langword="null"/> when nobody listens.</summary>
    public static Activity? Start(string trigger)
    {
        var activity = s_source.StartActivity("molt.reload", ActivityKind.Internal);
        activity?.SetTag("molt.reload.trigger", trigger);
        return activity;
    }

    public static void Finish(Activity? activity, ReloadResult result)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag(Outcome, result.Succeeded ? "success" : "failure");
        activity.SetTag("molt.reload.generation", result.Generation);
        activity.SetTag("molt.reload.modules", result.Changes.Select(c => c.Module).ToArray());
        var timings = result.Timings;
        activity.SetTag("molt.reload.scan.duration", timings.Scan.TotalSeconds);
        activity.SetTag("molt.reload.compile.duration", timings.Compile.TotalSeconds);
        activity.SetTag("molt.reload.load.duration", timings.Load.TotalSeconds);
        activity.SetTag("molt.reload.switch.duration", timings.Switch.TotalSeconds);
        activity.SetTag("molt.reload.retire.duration", timings.Retire.TotalSeconds);
        if (!result.Succeeded)
        {
            activity.SetTag(ErrorType, ErrorTypeOf(result));
            activity.SetStatus(ActivityStatusCode.Error, result.Error);
        }
    }

    /// <summary>The id of the first error (<c>MOLT…</c> or the compiler's <c>CS…</c>), a low-cardinality error type.</summary>
    public static string ErrorTypeOf(ReloadResult result) => result.Errors.FirstOrDefault()?.Id ?? "_OTHER";
}
