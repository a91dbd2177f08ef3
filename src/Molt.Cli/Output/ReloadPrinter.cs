using Molt.Hosting;
using Spectre.Console;

namespace Molt.Cli.Output;

/// <summary>
/// <c>molt run</c>'s view of the engine: one line per reload that changed something or failed, and
/// a line per leaked generation. A failure that newer file events already superseded (a save still
/// in progress) is not printed: the follow-up reload that is already queued reports the outcome.
/// </summary>
internal sealed class ReloadPrinter(CliOutput output, MoltHostStatus status)
{
    private const string StartTrigger = "start";

    private readonly Lock _gate = new();
    private readonly ResultRenderer _renderer = new(output.Console);

    public void Attach(MoltEngine engine)
    {
        engine.Reloaded += (_, e) => OnReloaded(e.Result);
        engine.ReloadFailed += (_, e) => OnFailed(e.Result);
        engine.GenerationLeaked += (_, e) => Write(() => output.Console.MarkupLine(
            $"[yellow]leak[/]: {Markup.Escape(e.Module)}#{e.Generation} is still in memory: {Markup.Escape(e.Message)}"));
    }

    public void OnReloaded(ReloadResult result)
    {
        if (result.Changes.Count > 0)
        {
            Write(() => _renderer.Reload(ControlReplies.Reload(result)));
        }
    }

    public void OnFailed(ReloadResult result)
    {
        // A failed first load is printed once, by StartFailed, with what it means: nothing serves.
        if (result.Trigger == StartTrigger
            || (result.Trigger.Contains("watcher", StringComparison.Ordinal) && status.IsSuperseded(result)))
        {
            return;
        }

        Write(() => _renderer.Reload(ControlReplies.Reload(result)));
    }

    /// <summary>Prints the first load's failure: nothing is serving, so the process exits.</summary>
    public void StartFailed(ReloadResult result) => Write(() => _renderer.Reload(ControlReplies.Reload(result)));

    private void Write(Action write)
    {
        lock (_gate)
        {
            write();
            output.Out.Flush();
        }
    }
}
