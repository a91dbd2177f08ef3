namespace Molt;

/// <summary>How serious a <see cref="ModuleDiagnostic"/> is.</summary>
public enum DiagnosticSeverity
{
    /// <summary>Information.</summary>
    Info = 0,

    /// <summary>A warning; the reload goes on.</summary>
    Warning = 1,

    /// <summary>An error; the reload fails and the previous generation keeps serving.</summary>
    Error = 2,
}
