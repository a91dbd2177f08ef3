using Microsoft.Extensions.Logging;
using Molt.EntryPoints;
using Molt.Loading;
using Molt.Retirement;

namespace Molt.Reloading;

/// <summary>The engine's parts that the stages of a reload share, created once per engine.</summary>
/// <param name="Options">The engine's options.</param>
/// <param name="Logger">The engine's logger.</param>
/// <param name="Modules">The serving generations.</param>
/// <param name="State">The persistent state, as modules reach it.</param>
/// <param name="Entries">The entry point handles and their table.</param>
/// <param name="Retirer">Retires and discards generations.</param>
internal sealed record ReloadServices(
    MoltOptions Options,
    ILogger Logger,
    LiveModules Modules,
    StoreStateAccess State,
    EntryPointRegistry Entries,
    GenerationRetirer Retirer)
{
    /// <summary>Gets what each new generation's context is given.</summary>
    public required ContextServices Contexts { get; init; }

    /// <summary>Gets where large images are written to be loaded from files (disposed with the engine).</summary>
    public ImageFiles Images { get; } = new(Options.ImageFilesDirectory, Options.ImageFileThreshold);

    /// <summary>Gets the test seam that makes a phase fail on demand; <see langword="null"/> outside tests.</summary>
    public ReloadFaults? Faults => Options.Faults;
}
