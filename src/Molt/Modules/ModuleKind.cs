namespace Molt;

/// <summary>What a module is made of.</summary>
public enum ModuleKind
{
    /// <summary>One C# file.</summary>
    SourceFile = 0,

    /// <summary>A folder of C# files compiled together.</summary>
    SourceFolder = 1,

    /// <summary>A prebuilt assembly, loaded from bytes so the file is never locked.</summary>
    Assembly = 2,
}
