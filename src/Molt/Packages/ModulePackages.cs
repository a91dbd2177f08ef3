using Molt.Compilation;
using Molt.Modules;

namespace Molt.Packages;

/// <summary>
/// The packages one source module compiles and loads with: its own <c>[PackageReference]</c>s plus
/// those of the modules it depends on, resolved by the <see cref="PackageResolver"/>. A failure is
/// reported at the attribute of the package it concerns (MOLT029), with the restore's own text.
/// </summary>
internal sealed class ModulePackages(PackageResolver resolver)
{
    public PackageResolver Resolver => resolver;

    /// <summary>
    /// Resolves the module's packages; <see langword="false"/>, with the diagnostics added, when its
    /// attributes are malformed or the packages cannot be resolved. <paramref name="packages"/> is
    /// <see langword="null"/> for a module that uses none.
    /// </summary>
    public bool TryResolve(ModuleSource source, ModuleFacts facts, IReadOnlyList<CompiledModule> dependencies, List<ModuleDiagnostic> diagnostics, out ResolvedPackages? packages)
    {
        packages = null;
        if (!facts.Problems.IsEmpty)
        {
            diagnostics.AddRange(facts.Problems);
            return false;
        }

        var inherited = dependencies.Select(d => d.Packages?.Requested).OfType<IReadOnlyList<RequestedPackage>>().Where(r => r.Count > 0).ToArray();
        if (facts.Packages.IsEmpty && inherited.Length == 0)
        {
            return true;
        }

        var resolution = resolver.Resolve(PackageSet.Of(facts.Packages, inherited));
        if (resolution.Packages is { } resolved)
        {
            packages = resolved;
            return true;
        }

        foreach (var error in resolution.Errors.DefaultIfEmpty(new RestoreError(null, "The restore failed without saying why.")))
        {
            diagnostics.Add(Report(source, facts, error));
        }

        return false;
    }

    /// <summary>At the attribute of the package the error names, else at the module's first <c>[PackageReference]</c>.</summary>
    private static ModuleDiagnostic Report(ModuleSource source, ModuleFacts facts, RestoreError error)
    {
        var about = facts.Packages.FirstOrDefault(p => string.Equals(p.Id, error.PackageId, StringComparison.OrdinalIgnoreCase));
        var at = about?.At ?? facts.Packages.FirstOrDefault()?.At ?? default;
        var message = about is not null
            ? $"Package '{about.Id}' {about.Version} could not be resolved: {error.Message}"
            : $"The packages could not be resolved ({string.Join(", ", facts.Packages.Select(p => $"{p.Id} {p.Version}"))}): {error.Message}";
        return at.File is null
            ? new ModuleDiagnostic(source.Name, source.Path, 0, 0, MoltDiagnosticIds.PackageNotResolved, DiagnosticSeverity.Error, message)
            : new ModuleDiagnostic(source.Name, at.File, at.Line, at.Column, MoltDiagnosticIds.PackageNotResolved, DiagnosticSeverity.Error, message);
    }
}
