namespace Molt;

/// <summary>Whether module compiles go to a compile server (<see cref="MoltOptions.CompileServer"/>).</summary>
public enum CompileServerMode
{
    /// <summary>Every compile runs in the engine's process.</summary>
    Off = 0,

    /// <summary>
    /// Compiles go to the user's compile server, started when none is running; whenever it is
    /// missing, fails or does not answer in time, the compile runs in-process.
    /// </summary>
    Auto = 1,
}
