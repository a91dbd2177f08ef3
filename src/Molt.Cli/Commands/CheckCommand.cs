using System.CommandLine;
using System.Text.Json;
using Molt.Cli.Output;
using Molt.Control;
using Molt.Hosting;
using Spectre.Console;

namespace Molt.Cli.Commands;

/// <summary><c>molt check &lt;path&gt;</c>: compiles every module without running anything.</summary>
internal static class CheckCommand
{
    public static Command Create(CliOutput output)
    {
        var path = new Argument<string>("path") { Description = "A module directory, or one module (.cs file or .dll)." };
        var references = new Option<string[]>("--reference", "-r") { Description = "An extra assembly the modules compile against (repeatable)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON document on standard output." };
        var command = new Command("check", "Compile every module without running anything; print the diagnostics (exit 0 when all compile, 1 otherwise).")
        {
            path, references, json,
        };
        command.SetAction(async (parse, ct) =>
        {
            // In-process, not through the compile server (CompileServer stays Off): a check is one
            // pass, often in CI or a commit hook, and would leave behind a server living 10 idle
            // minutes for compiles that a warm compiler speeds up only across the edits of a long run.
            var options = new MoltOptions { WarmUpCompiler = false };
            ModuleArguments.Apply(options, parse.GetValue(path)!, parse.GetValue(references) ?? []);
            var engine = new MoltEngine(options);
            ReloadResult result;
            try
            {
                result = await engine.CheckAsync(ct).ConfigureAwait(false);
            }
            finally
            {
                await engine.DisposeAsync().ConfigureAwait(false);
            }

            var document = ControlReplies.Check(result);
            if (parse.GetValue(json))
            {
                output.WriteJson(JsonSerializer.SerializeToNode(document, ControlJson.CheckReply)!);
            }
            else
            {
                new ResultRenderer(output.Console).Diagnostics(document.Diagnostics);
                output.Console.MarkupLine(result.Succeeded
                    ? $"[green]ok[/]: {result.Changes.Count} module(s) compile"
                    : $"[red]check failed[/]: {Markup.Escape(result.Error ?? "errors")}");
            }

            return result.Succeeded ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }
}
