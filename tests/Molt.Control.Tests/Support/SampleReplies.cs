namespace Molt.Control.Tests;

/// <summary>One of each result record with every member set, and set apart from its default, so a member lost on the way shows.</summary>
internal static class SampleReplies
{
    public static readonly DateTimeOffset StartedAt = new DateTimeOffset(2025, 3, 14, 9, 26, 53, TimeSpan.FromHours(2)).AddTicks(5_897_932);

    public static ReloadDiagnostic Located => new()
    {
        Module = "calc",
        File = "/home/me/modules/calc.cs",
        Line = 3,
        Column = 54,
        Id = "CS1525",
        Severity = "error",
        Message = "Invalid expression term ';'",
    };

    public static ReloadDiagnostic Unlocated => new()
    {
        Module = null,
        File = null,
        Line = 0,
        Column = 0,
        Id = "MOLT001",
        Severity = "warning",
        Message = "Nothing to load in \"/home/me/empty\" — ünïcode kept",
    };

    public static ReloadReply Reload => new()
    {
        Ok = false,
        Generation = 3,
        Trigger = "control",
        StartedAt = StartedAt,
        DurationMs = 12.345,
        Changed =
        [
            new ChangedModule { Module = "calc", Kind = "changed", Generation = 4, Files = ["/home/me/modules/calc.cs"], Cached = true, Reused = false },
            new ChangedModule { Module = "greet", Kind = "dependent", Generation = 4, Files = [], Cached = false, Reused = true },
        ],
        Error = "compile errors in calc",
        Diagnostics = [Located, Unlocated],
        Timings = new PhaseTimings { ScanMs = 1.5, CompileMs = 8.25, LoadMs = 2.125, SwitchMs = 0.001, RetireMs = 0.469 },
    };

    public static RetiredModuleGeneration Retired => new()
    {
        Module = "calc",
        Generation = 2,
        RetiredAt = StartedAt.AddSeconds(-30),
        Status = "leaked",
        Discarded = true,
    };

    public static StatusReply Status => new()
    {
        Pid = 4242,
        Generation = 3,
        Modules =
        [
            new LoadedModule
            {
                Name = "calc",
                Kind = "SourceFile",
                Generation = 3,
                Hash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                Files = ["/home/me/modules/calc.cs"],
                LoadedAt = StartedAt.AddSeconds(-1),
                Dependencies = ["util"],
                Exports = ["Add", "Sub"],
            },
        ],
        LastReload = Reload,
        RetiredAlive = [Retired],
    };

    public static VerifyReply Verify => new() { Ok = false, RetiredAlive = [Retired] };

    public static SnapshotReply Snapshot => new() { Path = "/home/me/state.json", Written = 7, Skipped = ["calc.Handler: a delegate has no snapshot form"] };

    public static StopReply Stop => new() { Stopping = true, Pid = 4242 };

    public static CheckReply Check => new()
    {
        Ok = false,
        Modules = ["calc", "greet"],
        Error = "compile errors in calc",
        DurationMs = 840.2,
        Diagnostics = [Located],
    };
}
