namespace Molt.Reloading;

/// <summary>The points of a reload where a fault can be injected in tests (<see cref="ReloadFaults"/>).</summary>
internal enum ReloadPhase
{
    /// <summary>Reading the module files.</summary>
    Scan,

    /// <summary>Reading dependencies and ordering the modules.</summary>
    Plan,

    /// <summary>Compiling a module.</summary>
    Compile,

    /// <summary>Loading a module's assembly (static constructors run here).</summary>
    Load,

    /// <summary>Staging the persistent state.</summary>
    StateStaging,

    /// <summary>Running the new generation's load hook.</summary>
    LoadHook,

    /// <summary>Resolving the entry points against the new generations.</summary>
    EntryPoints,

    /// <summary>Committing the persistent state, the last step that can still fail the reload.</summary>
    Commit,

    /// <summary>After the entry points switched: the reload can no longer fail.</summary>
    Switch,

    /// <summary>Retiring an old generation.</summary>
    Retire,
}
