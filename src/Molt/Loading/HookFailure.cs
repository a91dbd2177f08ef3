using System.Diagnostics;

namespace Molt.Loading;

/// <summary>
/// How a module's hook failed. Holds text, never the exception: an exception's stack trace
/// references the module's methods and would keep its generation in memory.
/// </summary>
internal sealed record HookFailure(bool TimedOut, string Description, string? File, int Line, int Column)
{
    /// <summary>Gets the engine's own exception when the hook failed with one (never a module's exception).</summary>
    public ModuleLoadException? Exception { get; init; }

    public static HookFailure FromException(Exception exception)
    {
        if (exception is ModuleLoadException load)
        {
            return new HookFailure(false, load.Message, null, 0, 0) { Exception = load };
        }

        // The innermost frame with a source file is where the module's code threw.
        var frame = new StackTrace(exception, fNeedFileInfo: true).GetFrames().FirstOrDefault(f => f.GetFileName() is not null);
        return new HookFailure(false, Reloading.Texts.Bounded(exception.ToString()), frame?.GetFileName(), frame?.GetFileLineNumber() ?? 0, frame?.GetFileColumnNumber() ?? 0);
    }

    public ModuleDiagnostic ToDiagnostic(ModuleBuild generation, string hook, string id) =>
        new(generation.Module, File ?? generation.Source.Path, Line, Column, id, DiagnosticSeverity.Error,
            TimedOut ? $"The {hook} of {generation.DisplayName} did not finish within {Description}." : $"The {hook} of {generation.DisplayName} threw {Description}");
}
