using System.Globalization;
using Molt.Control;
using Spectre.Console;

namespace Molt.Cli.Output;

/// <summary>
/// Renders the control channel's results for people: one line per reload, each diagnostic with its
/// file, line and a source excerpt, the manifest as a table. <c>molt run</c> renders its own reloads
/// through the same <see cref="ReloadReply"/>, so every command shows a reload the same way.
/// </summary>
internal sealed class ResultRenderer(IAnsiConsole console)
{
    /// <summary>Prints one line for a reload (and its diagnostics when it failed).</summary>
    public void Reload(ReloadReply result)
    {
        var duration = result.DurationMs.ToString("F1", CultureInfo.InvariantCulture);
        var time = result.StartedAt.ToLocalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        var trigger = result.Trigger;
        if (result.Ok)
        {
            var what = result.Changed.Count == 0 ? Unchanged(result.UnchangedSince, result.StartedAt) : Describe(result.Changed);
            var verb = trigger == "start" ? "loaded" : "reloaded";
            console.MarkupLine($"[grey]{time}[/] [green]{verb}[/] generation {result.Generation} in {duration} ms ({Markup.Escape(trigger)}): {Markup.Escape(what)}");

            // Molt's own warnings say what a successful reload cost (a value that lost members, was
            // reset or dropped; an entry point that fell back): never only in --json.
            Diagnostics(result.Diagnostics.Where(IsMoltWarning));
            return;
        }

        var error = result.Error ?? "unknown error";
        var (failed, outcome) = trigger == "start" ? ("load failed", "nothing is serving") : ("reload failed", $"generation {result.Generation} keeps serving");
        console.MarkupLine($"[grey]{time}[/] [red]{failed}[/] after {duration} ms ({Markup.Escape(trigger)}): {Markup.Escape(error)}; {outcome}");
        Diagnostics(result.Diagnostics);
    }

    /// <summary>
    /// A reload that found nothing to do: since which generation, applied how long before this
    /// reload and by what (the watcher often gets there before <c>molt reload</c>).
    /// </summary>
    private static string Unchanged(ServingReload? since, DateTimeOffset started) => since is null
        ? "nothing changed"
        : $"nothing changed since generation {since.Generation} (applied {Ago(started - since.AppliedAt)} ago by {since.Trigger})";

    private static string Ago(TimeSpan elapsed) =>
        elapsed < TimeSpan.FromSeconds(1) ? FormattableString.Invariant($"{Math.Max(0, elapsed.TotalMilliseconds):F0} ms")
        : elapsed < TimeSpan.FromMinutes(2) ? FormattableString.Invariant($"{elapsed.TotalSeconds:F1} s")
        : elapsed < TimeSpan.FromHours(2) ? FormattableString.Invariant($"{elapsed.TotalMinutes:F0} min")
        : FormattableString.Invariant($"{elapsed.TotalHours:F0} h");

    /// <summary>Prints each diagnostic as <c>file:line:column: severity ID: message</c> plus the source line and a caret.</summary>
    public void Diagnostics(IEnumerable<ReloadDiagnostic> diagnostics)
    {
        // Errors first: they are why it failed; warnings and notes after, for context.
        foreach (var d in diagnostics.OrderBy(d => d.Severity == "error" ? 0 : 1))
        {
            var where = d.File is null ? d.Module ?? "molt"
                : d.Line > 0 ? string.Create(CultureInfo.InvariantCulture, $"{d.File}:{d.Line}:{d.Column}") : d.File;
            var colour = d.Severity switch { "error" => "red", "warning" => "yellow", _ => "grey" };
            console.MarkupLine($"  {Markup.Escape(where)}: [{colour}]{Markup.Escape(d.Severity)}[/] {Markup.Escape(d.Id)}: {Markup.Escape(d.Message)}");
            if (SourceExcerpt.Read(d.File, d.Line, d.Column) is { } excerpt)
            {
                console.MarkupLine($"  [grey]{Markup.Escape(excerpt.Line)}[/]");
                console.MarkupLine($"  [{colour}]{Markup.Escape(excerpt.Caret)}[/]");
            }
        }
    }

    /// <summary>Prints the manifest: a summary line, the modules as a table, the last reload and retired generations.</summary>
    public void Status(StatusReply status)
    {
        console.MarkupLine($"Molt process [bold]{status.Pid}[/], generation [bold]{status.Generation}[/]");
        var table = new Table().AddColumns("Module", "Kind", "Generation", "Hash", "Loaded at", "Files");
        foreach (var m in status.Modules)
        {
            table.AddRow(
                Markup.Escape(m.Name),
                Markup.Escape(m.Kind),
                m.Generation.ToString(CultureInfo.InvariantCulture),
                Markup.Escape(m.Hash[..Math.Min(12, m.Hash.Length)]),
                Markup.Escape(m.LoadedAt.ToString("O", CultureInfo.InvariantCulture)),
                Markup.Escape(string.Join(", ", m.Files.Select(Path.GetFileName))));
        }

        console.Write(table);
        if (status.LastReload is { } last)
        {
            console.Markup("Last reload: ");
            Reload(last);
        }

        console.MarkupLine($"Retired generations still in memory: {status.RetiredAlive.Count}");
        foreach (var r in status.RetiredAlive)
        {
            console.MarkupLine($"  {Markup.Escape(r.Module)}#{r.Generation} {Markup.Escape(r.Status)}");
        }
    }

    private static bool IsMoltWarning(ReloadDiagnostic diagnostic) =>
        diagnostic.Severity == "warning" && diagnostic.Id.StartsWith("MOLT", StringComparison.Ordinal);

    private static string Describe(IEnumerable<ChangedModule> changed) => string.Join(", ", changed.Select(c =>
    {
        var files = c.Files.Select(Path.GetFileName).ToArray();
        var described = files.Length == 0 ? $"{c.Module} ({c.Kind})" : $"{c.Module} ({c.Kind}: {string.Join(", ", files)})";
        return c.Cached ? described + " [cached]"
            : c.Reused ? described + " [not recompiled]"
            : described;
    }));
}
