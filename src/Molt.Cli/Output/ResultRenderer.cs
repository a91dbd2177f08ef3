using System.Globalization;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace Molt.Cli.Output;

/// <summary>
/// Renders the control channel's JSON documents for people: one line per reload, each diagnostic
/// with its file, line and a source excerpt, the manifest as a table. <c>molt run</c> renders its own
/// reloads through the same JSON, so every command shows a reload the same way.
/// </summary>
internal sealed class ResultRenderer(IAnsiConsole console)
{
    /// <summary>Prints one line for a reload (and its diagnostics when it failed).</summary>
    public void Reload(JsonObject result)
    {
        var ok = result["ok"]?.GetValue<bool>() == true;
        var generation = result["generation"]?.GetValue<int>() ?? 0;
        var trigger = result["trigger"]?.GetValue<string>() ?? "?";
        var duration = (result["durationMs"]?.GetValue<double>() ?? 0).ToString("F1", CultureInfo.InvariantCulture);
        var changed = result["changed"]?.AsArray() ?? [];
        var started = DateTimeOffset.TryParse(result["startedAt"]?.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) ? at : DateTimeOffset.Now;
        var time = started.ToLocalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        if (ok)
        {
            var what = changed.Count == 0 ? Unchanged(result["unchangedSince"] as JsonObject, started) : Describe(changed);
            var verb = trigger == "start" ? "loaded" : "reloaded";
            console.MarkupLine($"[grey]{time}[/] [green]{verb}[/] generation {generation} in {duration} ms ({Markup.Escape(trigger)}): {Markup.Escape(what)}");

            // Molt's own warnings say what a successful reload cost (a value that lost members, was
            // reset or dropped; an entry point that fell back): never only in --json.
            Diagnostics([.. (result["diagnostics"]?.AsArray() ?? []).Where(IsMoltWarning).Select(d => d!.DeepClone())]);
            return;
        }

        var error = result["error"]?.GetValue<string>() ?? "unknown error";
        var (failed, outcome) = trigger == "start" ? ("load failed", "nothing is serving") : ("reload failed", $"generation {generation} keeps serving");
        console.MarkupLine($"[grey]{time}[/] [red]{failed}[/] after {duration} ms ({Markup.Escape(trigger)}): {Markup.Escape(error)}; {outcome}");
        Diagnostics(result["diagnostics"]?.AsArray());
    }

    /// <summary>
    /// A reload that found nothing to do: since which generation, applied how long before this
    /// reload and by what (the watcher often gets there before <c>molt reload</c>).
    /// </summary>
    private static string Unchanged(JsonObject? since, DateTimeOffset started)
    {
        if (since?["generation"]?.GetValue<int>() is not { } generation)
        {
            return "nothing changed";
        }

        var ago = DateTimeOffset.TryParse(since["appliedAt"]?.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)
            ? $"applied {Ago(started - at)} ago"
            : "applied";
        return $"nothing changed since generation {generation} ({ago} by {since["trigger"]?.GetValue<string>() ?? "?"})";
    }

    private static string Ago(TimeSpan elapsed) =>
        elapsed < TimeSpan.FromSeconds(1) ? FormattableString.Invariant($"{Math.Max(0, elapsed.TotalMilliseconds):F0} ms")
        : elapsed < TimeSpan.FromMinutes(2) ? FormattableString.Invariant($"{elapsed.TotalSeconds:F1} s")
        : elapsed < TimeSpan.FromHours(2) ? FormattableString.Invariant($"{elapsed.TotalMinutes:F0} min")
        : FormattableString.Invariant($"{elapsed.TotalHours:F0} h");

    /// <summary>Prints each diagnostic as <c>file:line:column: severity ID: message</c> plus the source line and a caret.</summary>
    public void Diagnostics(JsonArray? diagnostics)
    {
        // Errors first: they are why it failed; warnings and notes after, for context.
        var ordered = (diagnostics ?? []).Select(n => n!.AsObject()).OrderBy(d => d["severity"]?.GetValue<string>() == "error" ? 0 : 1);
        foreach (var d in ordered)
        {
            var severity = d["severity"]?.GetValue<string>() ?? "error";
            var file = d["file"]?.GetValue<string>();
            var line = d["line"]?.GetValue<int>() ?? 0;
            var column = d["column"]?.GetValue<int>() ?? 0;
            var where = file is null ? d["module"]?.GetValue<string>() ?? "molt"
                : line > 0 ? string.Create(CultureInfo.InvariantCulture, $"{file}:{line}:{column}") : file;
            var colour = severity switch { "error" => "red", "warning" => "yellow", _ => "grey" };
            console.MarkupLine($"  {Markup.Escape(where)}: [{colour}]{severity}[/] {Markup.Escape(d["id"]?.GetValue<string>() ?? "")}: {Markup.Escape(d["message"]?.GetValue<string>() ?? "")}");
            if (SourceExcerpt.Read(file, line, column) is { } excerpt)
            {
                console.MarkupLine($"  [grey]{Markup.Escape(excerpt.Line)}[/]");
                console.MarkupLine($"  [{colour}]{Markup.Escape(excerpt.Caret)}[/]");
            }
        }
    }

    /// <summary>Prints the manifest: a summary line, the modules as a table, the last reload and retired generations.</summary>
    public void Status(JsonObject status)
    {
        var pid = status["pid"]?.GetValue<int>() ?? 0;
        var generation = status["generation"]?.GetValue<int>() ?? 0;
        console.MarkupLine($"Molt process [bold]{pid}[/], generation [bold]{generation}[/]");
        var table = new Table().AddColumns("Module", "Kind", "Generation", "Hash", "Loaded at", "Files");
        foreach (var node in status["modules"]?.AsArray() ?? [])
        {
            var m = node!.AsObject();
            var files = (m["files"]?.AsArray() ?? []).Select(f => Path.GetFileName(f!.GetValue<string>()));
            table.AddRow(
                Markup.Escape(m["name"]?.GetValue<string>() ?? ""),
                Markup.Escape(m["kind"]?.GetValue<string>() ?? ""),
                (m["generation"]?.GetValue<int>() ?? 0).ToString(CultureInfo.InvariantCulture),
                Markup.Escape((m["hash"]?.GetValue<string>() ?? "")[..Math.Min(12, (m["hash"]?.GetValue<string>() ?? "").Length)]),
                Markup.Escape(m["loadedAt"]?.GetValue<string>() ?? ""),
                Markup.Escape(string.Join(", ", files)));
        }

        console.Write(table);
        if (status["lastReload"] is JsonObject last)
        {
            console.Markup("Last reload: ");
            Reload(last);
        }

        var retired = status["retiredAlive"]?.AsArray() ?? [];
        console.MarkupLine($"Retired generations still in memory: {retired.Count}");
        foreach (var node in retired)
        {
            var r = node!.AsObject();
            console.MarkupLine($"  {Markup.Escape(r["module"]?.GetValue<string>() ?? "")}#{r["generation"]?.GetValue<int>()} {Markup.Escape(r["status"]?.GetValue<string>() ?? "")}");
        }
    }

    private static bool IsMoltWarning(JsonNode? diagnostic) =>
        diagnostic?["severity"]?.GetValue<string>() == "warning" && diagnostic["id"]?.GetValue<string>() is { } id && id.StartsWith("MOLT", StringComparison.Ordinal);

    private static string Describe(JsonArray changed) => string.Join(", ", changed.Select(node =>
    {
        var c = node!.AsObject();
        var module = c["module"]?.GetValue<string>() ?? "?";
        var kind = c["kind"]?.GetValue<string>() ?? "changed";
        var files = (c["files"]?.AsArray() ?? []).Select(f => Path.GetFileName(f!.GetValue<string>())).ToArray();
        var described = files.Length == 0 ? $"{module} ({kind})" : $"{module} ({kind}: {string.Join(", ", files)})";
        return c["cached"]?.GetValue<bool>() == true ? described + " [cached]"
            : c["reused"]?.GetValue<bool>() == true ? described + " [not recompiled]"
            : described;
    }));
}
