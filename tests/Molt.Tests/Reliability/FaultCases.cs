using Phase = Molt.Reloading.ReloadPhase;
using static Molt.Tests.Reliability.FaultKind;

namespace Molt.Tests.Reliability;

/// <summary>
/// The fault table: every phase of a reload, every kind of fault. Until the commit the reload fails
/// and whatever it loaded is discarded; from the switch on it succeeds and the fault is a warning.
/// The edit changes both modules (core, and app, which depends on it), so each phase runs for both;
/// a fault fires once, at the first module to reach it.
/// </summary>
internal static class FaultCases
{
    private const string Internal = "MOLT099";
    private const string HookThrew = "MOLT027";
    private const string TimedOut = "MOLT028";
    private static readonly string[] None = [];
    private static readonly string[] Core = ["core#2"];
    private static readonly string[] Both = ["app#2", "core#2"];

    public static IReadOnlyList<FaultCase> All { get; } =
    [
        Fails(Phase.Scan,         InvalidOperation,  Internal,  None),
        Fails(Phase.Scan,         OutOfMemory,       Internal,  None),
        Fails(Phase.Scan,         ThreadInterrupted, Internal,  None),
        Fails(Phase.Scan,         IO,                Internal,  None),
        Fails(Phase.Scan,         HugeMessage,       Internal,  None),
        Fails(Phase.Plan,         InvalidOperation,  Internal,  None),
        Fails(Phase.Plan,         OutOfMemory,       Internal,  None),
        Fails(Phase.Plan,         ThreadInterrupted, Internal,  None),
        Fails(Phase.Plan,         IO,                Internal,  None),
        Fails(Phase.Plan,         HugeMessage,       Internal,  None),
        Fails(Phase.Compile,      InvalidOperation,  Internal,  None),
        Fails(Phase.Compile,      OutOfMemory,       Internal,  None),
        Fails(Phase.Compile,      ThreadInterrupted, Internal,  None),
        Fails(Phase.Compile,      IO,                Internal,  None),
        Fails(Phase.Compile,      HugeMessage,       Internal,  None),
        Fails(Phase.Load,         InvalidOperation,  Internal,  None),
        Fails(Phase.Load,         OutOfMemory,       Internal,  None),
        Fails(Phase.Load,         ThreadInterrupted, Internal,  None),
        Fails(Phase.Load,         IO,                Internal,  None),
        Fails(Phase.Load,         HugeMessage,       Internal,  None),
        Fails(Phase.Load,         Hang,              TimedOut,  Core),
        Fails(Phase.StateStaging, InvalidOperation,  Internal,  Both),
        Fails(Phase.StateStaging, OutOfMemory,       Internal,  Both),
        Fails(Phase.StateStaging, ThreadInterrupted, Internal,  Both),
        Fails(Phase.StateStaging, IO,                Internal,  Both),
        Fails(Phase.StateStaging, HugeMessage,       Internal,  Both),
        Fails(Phase.LoadHook,     InvalidOperation,  HookThrew, Both),
        Fails(Phase.LoadHook,     OutOfMemory,       HookThrew, Both),
        Fails(Phase.LoadHook,     ThreadInterrupted, HookThrew, Both),
        Fails(Phase.LoadHook,     IO,                HookThrew, Both),
        Fails(Phase.LoadHook,     HugeMessage,       HookThrew, Both),
        Fails(Phase.LoadHook,     Hang,              TimedOut,  Both),
        Fails(Phase.EntryPoints,  InvalidOperation,  Internal,  Both),
        Fails(Phase.EntryPoints,  OutOfMemory,       Internal,  Both),
        Fails(Phase.EntryPoints,  ThreadInterrupted, Internal,  Both),
        Fails(Phase.EntryPoints,  IO,                Internal,  Both),
        Fails(Phase.EntryPoints,  HugeMessage,       Internal,  Both),
        Fails(Phase.Commit,       InvalidOperation,  Internal,  Both),
        Fails(Phase.Commit,       OutOfMemory,       Internal,  Both),
        Fails(Phase.Commit,       ThreadInterrupted, Internal,  Both),
        Fails(Phase.Commit,       IO,                Internal,  Both),
        Fails(Phase.Commit,       HugeMessage,       Internal,  Both),
        Warns(Phase.Switch,       InvalidOperation,  Internal),
        Warns(Phase.Switch,       OutOfMemory,       Internal),
        Warns(Phase.Switch,       ThreadInterrupted, Internal),
        Warns(Phase.Switch,       IO,                Internal),
        Warns(Phase.Switch,       HugeMessage,       Internal),
        Warns(Phase.Retire,       InvalidOperation,  Internal),
        Warns(Phase.Retire,       OutOfMemory,       Internal),
        Warns(Phase.Retire,       ThreadInterrupted, Internal),
        Warns(Phase.Retire,       IO,                Internal),
        Warns(Phase.Retire,       HugeMessage,       Internal),
    ];

    private static FaultCase Fails(Phase phase, FaultKind kind, string id, string[] discarded) => new(phase, kind, id, Succeeds: false, discarded);

    private static FaultCase Warns(Phase phase, FaultKind kind, string id) => new(phase, kind, id, Succeeds: true, None);
}
