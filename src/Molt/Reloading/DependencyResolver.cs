using System.Collections.Immutable;
using Molt.Compilation;
using Molt.Modules;

namespace Molt.Reloading;

/// <summary>
/// Works out what every present module depends on: a source module from its
/// <c>[assembly: DependsOn]</c> attributes (see <see cref="ModuleCompiler.ReadFacts"/>), a built assembly from its references to
/// other modules' assemblies, an unchanged module from its serving generation.
/// </summary>
internal sealed class DependencyResolver(ModuleCompiler compiler, ChangeSet scan)
{
    private readonly Dictionary<string, (string Name, ImmutableArray<string> References)> _images = new(StringComparer.Ordinal);

    public Dictionary<string, ImmutableArray<string>> Resolve(Dictionary<string, ModuleFacts> facts, List<ModuleDiagnostic> diagnostics)
    {
        var byAssembly = AssemblyOwners(diagnostics);
        var result = new Dictionary<string, ImmutableArray<string>>(StringComparer.Ordinal);
        foreach (var source in scan.Present.Values)
        {
            var name = source.Name;
            if (!scan.Changed.Contains(name))
            {
                result[name] = scan.Live[name].Dependencies;
            }
            else if (source.Kind == ModuleKind.Assembly)
            {
                result[name] = _images.TryGetValue(name, out var image)
                    ? [.. image.References.Where(byAssembly.ContainsKey).Select(r => byAssembly[r]).Where(m => m != name).Distinct()]
                    : [];
            }
            else if (compiler.ReadFacts(source, diagnostics) is { } module)
            {
                facts[name] = module;
                result[name] = [.. module.Dependencies.Select(d => d.Module).Distinct(StringComparer.Ordinal)];
                CheckDeclared(name, module, diagnostics);
            }
            else
            {
                result[name] = [];
            }
        }

        // An unchanged module whose dependency disappeared cannot be rebuilt.
        foreach (var (name, on) in result)
        {
            foreach (var missing in on.Where(d => !scan.Present.ContainsKey(d) && !scan.Changed.Contains(name)))
            {
                diagnostics.Add(new ModuleDiagnostic(name, scan.Present[name].Path, 0, 0, MoltDiagnosticIds.DependencyRemoved, DiagnosticSeverity.Error,
                    $"Module '{name}' depends on '{missing}', which was removed."));
            }
        }

        return result;
    }

    /// <summary>Assembly name → module, so a built module's references to other modules become dependencies.</summary>
    private Dictionary<string, string> AssemblyOwners(List<ModuleDiagnostic> diagnostics)
    {
        var byAssembly = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var source in scan.Present.Values)
        {
            if (source.Kind != ModuleKind.Assembly)
            {
                byAssembly[ModuleCompiler.AssemblyNameOf(source.Name)] = source.Name;
            }
            else if (!scan.Changed.Contains(source.Name))
            {
                byAssembly[scan.Live[source.Name].Compiled.AssemblyName] = source.Name;
            }
            else
            {
                try
                {
                    var image = DependencyReader.FromImage(source.Files[0].Content);
                    _images[source.Name] = image;
                    byAssembly[image.Name] = source.Name;
                }
                catch (BadImageFormatException ex)
                {
                    diagnostics.Add(new ModuleDiagnostic(source.Name, source.Files[0].Path, 0, 0, MoltDiagnosticIds.NotAnAssembly, DiagnosticSeverity.Error,
                        $"Not a .NET assembly: {ex.Message}"));
                }
            }
        }

        return byAssembly;
    }

    private void CheckDeclared(string name, ModuleFacts module, List<ModuleDiagnostic> diagnostics)
    {
        diagnostics.AddRange(module.Problems);
        foreach (var (dependency, at) in module.Dependencies)
        {
            var problem = dependency == name ? "a module cannot depend on itself"
                : !scan.Present.ContainsKey(dependency) ? $"there is no module named '{dependency}'"
                : null;
            if (problem is not null)
            {
                diagnostics.Add(new ModuleDiagnostic(name, at.File, at.Line, at.Column, MoltDiagnosticIds.BadDependency, DiagnosticSeverity.Error, $"DependsOn(\"{dependency}\"): {problem}"));
            }
        }
    }
}
