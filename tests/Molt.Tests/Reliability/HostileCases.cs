using System.Text;
using Molt.Tests.Infrastructure;
using static Molt.Tests.Reliability.HostileModule;

namespace Molt.Tests.Reliability;

/// <summary>The table of bad edits. Each returns the line its diagnostic must point at, when it has one.</summary>
internal static class HostileCases
{
    private const string App = "app.cs";

    public static IReadOnlyList<HostileCase> All { get; } = Build();

    private static HostileCase Edit(string name, string source, string id, string? lineOf = null, HostileOutcome outcome = HostileOutcome.ReloadFails) =>
        new(name, (w, _) =>
        {
            w.Write(App, source);
            return lineOf is null ? null : LineOf(source, lineOf);
        }, id, outcome);

    private static HostileCase Extra(string name, string extra, string id, string? lineOf = null) =>
        Edit(name, Source(extra: extra), id, lineOf);

    private static List<HostileCase> Build()
    {
        var noSemicolon = Source().Replace("return ValueTask.CompletedTask;", "return ValueTask.CompletedTask", StringComparison.Ordinal);
        var cases = new List<HostileCase>
        {
            new("syntax error", (w, _) => { w.Write(App, noSemicolon); return LineOf(noSemicolon, "return ValueTask.CompletedTask"); }, "CS1002"),
            Extra("type error", "public static class Bad { public static int F() => \"text\"; }", "CS0029", "class Bad"),
            Extra("unknown name", "public static class Bad { public static int F() => Nowhere.Call(); }", "CS0103", "class Bad"),
            Extra("unsafe code without permission", "public static unsafe class Bad { public static int F(int* p) => *p; }", "CS0227", "class Bad"),
            Extra("#error directive", "#error this build is broken on purpose", "CS1029", "#error"),
            Edit("missing entry point", Source().Replace("[Export] public static string Value()", "public static string Value()", StringComparison.Ordinal), "MOLT030"),
            Edit("renamed entry point", Source().Replace("string Value()", "string Value2()", StringComparison.Ordinal), "MOLT030"),
            Edit("entry point signature no longer matches its handle", Source().Replace("string Value()", "string Value(int unused)", StringComparison.Ordinal), "MOLT030"),
            Edit("exported service whose constructor throws",
                Source().Replace("public string Greet(string name)", "public Greeter() => throw new InvalidOperationException(\"no greeter\");\n    public string Greet(string name)", StringComparison.Ordinal),
                "MOLT030"),
            Edit("load hook throws", Source(load: "throw new InvalidOperationException(\"load failed\");"), "MOLT027", "load failed"),
            Edit("load hook hangs", Source(load: "Thread.Sleep(Timeout.Infinite);"), "MOLT028"),
            Extra("static constructor throws",
                "public static class Boom { static Boom() { throw new InvalidOperationException(\"cctor\"); } [Export] public static int Fuse() => 1; }",
                "MOLT026", "class Boom"),
            Extra("static constructor hangs",
                "public static class Hang { static Hang() { Thread.Sleep(Timeout.Infinite); } [Export] public static int Fuse() => 1; }",
                "MOLT028"),
            Extra("module calls Environment.Exit", "public static class Quit { public static void Now() => Environment.Exit(3); }", "MOLT019", "class Quit"),
            Extra("module calls Environment.FailFast", "public static class Quit { public static void Now() => System.Environment.FailFast(\"bye\"); }", "MOLT019", "class Quit"),
            Extra("generic method exported", "public static class G { [Export] public static T Id<T>(T x) => x; }", "MOLT023"),
            Extra("instance method exported", "public sealed class I { [Export] public int M() => 1; }", "MOLT023"),
            Extra("two exports with one name", "public static class Dup { [Export(\"Value\")] public static string Other() => \"\"; }", "MOLT022"),
            Extra("two module lifecycles", "public sealed class Second : IModule { }", "MOLT024"),
            Edit("module lifecycle without a usable constructor",
                Source().Replace("public sealed class Lifecycle : IModule", "public sealed class Lifecycle(int unused) : IModule", StringComparison.Ordinal),
                "MOLT025"),
            Extra("bad [StateMigration] method", "internal static class M { [StateMigration] public static Box Bad(int x) => new(x); }", "MOLT052"),
            Edit("state type change that cannot migrate",
                Source().Replace("record Box(int N)", "record Box(DateTime N)", StringComparison.Ordinal)
                    .Replace("b with { N = b.N + 1 }", "b with { N = b.N.AddDays(1) }", StringComparison.Ordinal)
                    .Replace("new Box(0)", "new Box(DateTime.UnixEpoch)", StringComparison.Ordinal),
                "MOLT050"),
            new("dependency cycle", (w, _) =>
            {
                w.Write("core.cs", "[assembly: DependsOn(\"app\")]\npublic static class Core { }");
                w.Write(App, "[assembly: DependsOn(\"core\")]\n" + Source());
                return null;
            }, "MOLT013"),
            new("dependency on itself", (w, _) => { w.Write(App, "[assembly: DependsOn(\"app\")]\n" + Source()); return 1; }, "MOLT014"),
            new("dependency on a missing module", (w, _) => { w.Write(App, "[assembly: DependsOn(\"ghost\")]\n" + Source()); return 1; }, "MOLT014"),
            new("a second module with the same name", (w, _) => { w.Write("app/a.cs", "public static class Twin { }"); return null; }, "MOLT003"),
            // The module is gone: entry points still in use fail the reload (its orphaned state alone would just be dropped).
            new("module deleted while the reload runs", (w, e) =>
            {
                void Delete(object? sender, ReloadingEventArgs args)
                {
                    e.Reloading -= Delete;
                    w.Delete(App);
                }

                w.Write(App, Source("v1b"));
                e.Reloading += Delete;
                return null;
            }, "MOLT030"),
            // A save caught half way must never replace the module with nothing (removing it means deleting it).
            new("empty file", (w, _) => { w.Write(App, string.Empty); return null; }, "MOLT007"),
            new("file of white space only", (w, _) => { w.Write(App, " \n\t\r\n  "); return null; }, "MOLT007"),
            new("binary file with a .cs name", (w, _) =>
            {
                File.WriteAllBytes(w.PathOf(App), [0x7F, (byte)'E', (byte)'L', (byte)'F', 0, 1, 2, 0, 0, 255]);
                return null;
            }, "MOLT010"),
            new("non-UTF-8 file", (w, _) =>
            {
                File.WriteAllBytes(w.PathOf(App), [.. Encoding.Latin1.GetBytes("// caf\u00e9 latin-1\n"), .. Encoding.UTF8.GetBytes(Source())]);
                return null;
            }, "MOLT011"),
            new("10 MB source file", (w, _) =>
            {
                w.Write(App, Source() + "\n//" + new string('x', 10 * 1024 * 1024));
                return null;
            }, "MOLT004"),
            new("expression too deep for the compiler", (w, _) =>
            {
                var deep = new string('(', 30_000) + "1" + new string(')', 30_000);
                w.Write(App, Source(extra: $"public static class Deep {{ public static int F() => {deep}; }}"));
                return null;
            }, "MOLT018"),
            new("file unreadable (a link to nowhere)", (w, _) =>
            {
                File.Delete(w.PathOf(App));
                File.CreateSymbolicLink(w.PathOf(App), "does-not-exist-" + Guid.NewGuid().ToString("N"));
                return null;
            }, "MOLT005"),
            new("symbolic link leading outside the module root", (w, _) =>
            {
                var outside = Path.Combine(Path.GetTempPath(), "molt-outside-" + Guid.NewGuid().ToString("N") + ".cs");
                File.WriteAllText(outside, Source("outside"));
                File.Delete(w.PathOf(App));
                File.CreateSymbolicLink(w.PathOf(App), outside);
                return null;
            }, "MOLT006"),
            new("folder module with a '..' link out of the root", (w, _) =>
            {
                var outside = w.Root + "-outside";
                Directory.CreateDirectory(outside);
                File.WriteAllText(Path.Combine(outside, "evil.cs"), "public static class Evil { }");
                w.Write("escape/own.cs", "public static class Own { }");
                Directory.CreateSymbolicLink(w.PathOf("escape/link"), Path.Combine("..", "..", Path.GetFileName(outside)));
                return null;
            }, "MOLT006"),
            Edit("unload hook throws",
                Source("v1u", unload: "public ValueTask OnUnloadAsync(IModuleContext context) => throw new InvalidOperationException(\"unload failed\");"),
                "MOLT040", outcome: HostileOutcome.NextReloadWarns),
            Edit("unload hook hangs",
                Source("v1u", unload: "public ValueTask OnUnloadAsync(IModuleContext context) { Thread.Sleep(Timeout.Infinite); return default; }"),
                "MOLT040", outcome: HostileOutcome.NextReloadWarns),
            Edit("handover hook throws",
                Source("v1u", unload: "public object? OnHandover(IModuleContext context) => throw new InvalidOperationException(\"handover failed\");"),
                "MOLT041", outcome: HostileOutcome.NextReloadWarns),
            Edit("thread started and never stopped",
                Source("v1t", load: "new Thread(() => { while (true) { Thread.Sleep(5); } }) { IsBackground = true }.Start();"),
                "leaked", outcome: HostileOutcome.RetirementLeaks),
            Edit("timer started and never stopped",
                Source("v1t", load: "Keep.Timer = new Timer(_ => { }, null, 0, 5);", extra: "public static class Keep { public static Timer? Timer; }"),
                "leaked", outcome: HostileOutcome.RetirementLeaks),
            Edit("static host event subscribed and never unsubscribed",
                Source("v1t", load: "Molt.Tests.Infrastructure.HostEvents.Tick += () => App.Value();"),
                "leaked", outcome: HostileOutcome.RetirementLeaks),
        };

        if (!Environment.IsPrivilegedProcess)
        {
            // Root reads any file whatever its mode, so this case only exists for other users (the link case above covers root).
            cases.Add(new("file made unreadable (mode 000)", (w, _) =>
            {
                w.Write(App, Source("v1p"));
                File.SetUnixFileMode(w.PathOf(App), UnixFileMode.None);
                return null;
            }, "MOLT005"));
        }

        return cases;
    }
}
