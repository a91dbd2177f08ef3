using Molt.Control;

namespace Molt.Hosting.Tests;

public sealed class ControlRepliesTests
{
    private static readonly DateTimeOffset At = new DateTimeOffset(2025, 3, 14, 9, 26, 53, TimeSpan.FromHours(2)).AddTicks(5_897_932);

    [Fact]
    public void AReloadResultIsMappedMemberForMember()
    {
        var result = new ReloadResult
        {
            Succeeded = false,
            Generation = 3,
            Trigger = "watcher",
            StartedAt = At,
            Changes = [new ModuleChange("calc", ModuleChangeKind.Dependent, 4, ["/m/calc.cs"]) { FromCache = true, ReusedImage = true }],
            Diagnostics = [new ModuleDiagnostic("calc", "/m/calc.cs", 3, 54, "CS1525", DiagnosticSeverity.Error, "Invalid expression term ';'")],
            Timings = new ReloadTimings(Ms(1.23466), Ms(2), Ms(3), Ms(4), Ms(5), Ms(15.00039)),
            Error = "compile errors in calc",
        };

        var reply = ControlReplies.Reload(result);

        Assert.Equivalent(new ReloadReply
        {
            Ok = false,
            Generation = 3,
            Trigger = "watcher",
            StartedAt = At,
            DurationMs = 15,
            Changed = [new ChangedModule { Module = "calc", Kind = "dependent", Generation = 4, Files = ["/m/calc.cs"], Cached = true, Reused = true }],
            Error = "compile errors in calc",
            Diagnostics = [new ReloadDiagnostic { Module = "calc", File = "/m/calc.cs", Line = 3, Column = 54, Id = "CS1525", Severity = "error", Message = "Invalid expression term ';'" }],
            Timings = new PhaseTimings { ScanMs = 1.235, CompileMs = 2, LoadMs = 3, SwitchMs = 4, RetireMs = 5 },
        }, reply, strict: true);
    }

    [Fact]
    public void AManifestIsMappedWithTheModuleKindAsTheEngineSpellsIt()
    {
        var manifest = new MoltManifest(
            2,
            [new ModuleInfo("calc", ModuleKind.SourceFolder, 2, "abc", ["/m/calc/a.cs"], At, ["util"], ["Add"])],
            [new RetiredGenerationInfo("calc", 1, At, RetiredStatus.Leaked, Discarded: true)],
            LastReload: null);

        var status = ControlReplies.Status(manifest, 4242);

        Assert.Equal((4242, 2), (status.Pid, status.Generation));
        Assert.Null(status.LastReload);
        Assert.Equivalent(new LoadedModule
        {
            Name = "calc",
            Kind = "SourceFolder",
            Generation = 2,
            Hash = "abc",
            Files = ["/m/calc/a.cs"],
            LoadedAt = At,
            Dependencies = ["util"],
            Exports = ["Add"],
        }, Assert.Single(status.Modules), strict: true);
        Assert.Equivalent(new RetiredModuleGeneration { Module = "calc", Generation = 1, RetiredAt = At, Status = "leaked", Discarded = true }, Assert.Single(status.RetiredAlive), strict: true);
    }

    private static TimeSpan Ms(double milliseconds) => TimeSpan.FromMilliseconds(milliseconds);
}
