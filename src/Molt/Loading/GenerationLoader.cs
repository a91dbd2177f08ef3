using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.CompilerServices;
using Molt.Compilation;

namespace Molt.Loading;

/// <summary>Loads a compiled generation into its own load context and finds its exports and lifecycle.</summary>
internal static class GenerationLoader
{
    /// <summary>Loads <paramref name="generation"/>, linked to <paramref name="dependencyAssemblies"/>.</summary>
    /// <param name="generation">The build to load.</param>
    /// <param name="dependencyAssemblies">Its dependencies' assemblies, by name.</param>
    /// <param name="typesProven">
    /// Whether its types are known to load: a body edit merged into the serving generation's image,
    /// linked to the same dependencies, has exactly that generation's types, which loaded. Otherwise
    /// every type is loaded now, so that one that cannot be fails the reload instead of a call after the switch.
    /// </param>
    /// <param name="files">Where a large image is written to be loaded from a file; <see langword="null"/> to load every image from memory.</param>
    public static LoadedImage Load(ModuleBuild generation, IReadOnlyDictionary<string, Assembly> dependencyAssemblies, bool typesProven, ImageFiles? files = null)
    {
        ImageIndex index;
        try
        {
            index = ImageIndex.Read(generation.Compiled.Image);
        }
        catch (BadImageFormatException ex)
        {
            throw Failure(generation, MoltDiagnosticIds.BadImage, $"Cannot load the assembly: {ex.Message}");
        }

        var context = new ModuleLoadContext($"molt:{generation.DisplayName}", dependencyAssemblies, PrivateAssets.For(generation.Source), generation.Compiled.Packages);
        Assembly assembly;
        try
        {
            assembly = files?.TryLoad(context, generation.Compiled) ?? LoadFromMemory(context, generation.Compiled);
        }
        catch (Exception ex) when (ex is BadImageFormatException or FileLoadException)
        {
            context.Unload();
            throw Failure(generation, MoltDiagnosticIds.BadImage, $"Cannot load the assembly: {ex.Message}");
        }

        try
        {
            if (!typesProven)
            {
                LoadTypes(generation, assembly);
            }

            var exports = FindExports(generation, assembly, index);
            var lifecycle = CreateLifecycle(generation, assembly, index);
            return new LoadedImage(context, assembly, exports, lifecycle, index);
        }
        catch
        {
            context.Unload();
            throw;
        }
    }

    private static Assembly LoadFromMemory(ModuleLoadContext context, CompiledModule compiled)
    {
        using var image = new MemoryStream(compiled.Image, writable: false);
        using var pdb = compiled.Pdb is { } p ? new MemoryStream(p, writable: false) : null;
        return context.LoadFromStream(image, pdb);
    }

    private static void LoadTypes(ModuleBuild generation, Assembly assembly)
    {
        try
        {
            _ = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException ex)
        {
            var reasons = ex.LoaderExceptions.Where(e => e is not null).Select(e => e!.Message).Distinct().Take(5);
            throw Failure(generation, MoltDiagnosticIds.TypeLoadFailed, $"Types of the module could not be loaded: {string.Join("; ", reasons)}");
        }
    }

    private static ImmutableDictionary<string, Export> FindExports(ModuleBuild generation, Assembly assembly, ImageIndex index)
    {
        var exports = ImmutableDictionary.CreateBuilder<string, Export>(StringComparer.Ordinal);
        void Add(Export export)
        {
            if (!exports.TryAdd(export.Name, export))
            {
                throw Failure(generation, MoltDiagnosticIds.DuplicateExport, $"Two exports are named '{export.Name}': {exports[export.Name].Describe()} and {export.Describe()}.");
            }
        }

        foreach (var member in Exported(generation, assembly, index))
        {
            if (member is Type type)
            {
                if (!type.IsClass || type.IsAbstract || type.ContainsGenericParameters)
                {
                    throw Failure(generation, MoltDiagnosticIds.BadExport, $"[Export] on {type.FullName}: only concrete, non-generic classes can be exported.");
                }

                RunClassConstructor(generation, type);
                Add(new Export(type.GetCustomAttribute<ExportAttribute>()!.Name ?? type.Name, null, type));
                continue;
            }

            var method = (MethodInfo)member;
            var owner = method.DeclaringType!;
            if (!method.IsStatic)
            {
                throw Failure(generation, MoltDiagnosticIds.BadExport, $"[Export] on {owner.FullName}.{method.Name}: only static methods can be exported (export the class to expose instances).");
            }

            if (method.ContainsGenericParameters)
            {
                throw Failure(generation, MoltDiagnosticIds.BadExport, $"[Export] on {owner.FullName}.{method.Name}: generic methods cannot be exported.");
            }

            RunClassConstructor(generation, owner);
            Add(new Export(method.GetCustomAttribute<ExportAttribute>()!.Name ?? method.Name, method, null));
        }

        return exports.ToImmutable();
    }

    /// <summary>The members marked <c>[Export]</c>: the index's candidates that reflection confirms carry Molt's attribute.</summary>
    private static IEnumerable<MemberInfo> Exported(ModuleBuild generation, Assembly assembly, ImageIndex index)
    {
        foreach (var token in index.Exports)
        {
            var member = Resolve(generation, () => (MemberInfo?)(ImageIndex.IsTypeToken(token) ? assembly.ManifestModule.ResolveType(token) : assembly.ManifestModule.ResolveMethod(token)));
            if (member is not null and not ConstructorInfo && member.GetCustomAttribute<ExportAttribute>() is not null)
            {
                yield return member;
            }
        }
    }

    private static IModule? CreateLifecycle(ModuleBuild generation, Assembly assembly, ImageIndex index)
    {
        var candidates = Resolve(generation, () => ImageIndex.Types(assembly, index.ModuleClasses).ToArray()).Where(t => typeof(IModule).IsAssignableFrom(t) && t.IsClass && !t.IsAbstract && !t.ContainsGenericParameters).ToArray();
        if (candidates.Length == 0)
        {
            return null;
        }

        if (candidates.Length > 1)
        {
            throw Failure(generation, MoltDiagnosticIds.SeveralModuleClasses, $"A module may have one IModule class; found {string.Join(", ", candidates.Select(c => c.FullName))}.");
        }

        RunClassConstructor(generation, candidates[0]);
        try
        {
            return (IModule)Activator.CreateInstance(candidates[0], nonPublic: true)!;
        }
        catch (Exception ex) when (ex is MissingMethodException or TargetInvocationException or MemberAccessException)
        {
            var reason = ex is TargetInvocationException { InnerException: { } inner } ? inner.ToString() : ex.Message;
            throw Failure(generation, MoltDiagnosticIds.ModuleClassNotCreatable, $"Cannot create the module class {candidates[0].FullName}: {reason}");
        }
    }

    /// <summary>Runs a static constructor now, so one that throws fails the reload instead of the first call after the switch.</summary>
    private static void RunClassConstructor(ModuleBuild generation, Type type)
    {
        try
        {
            RuntimeHelpers.RunClassConstructor(type.TypeHandle);
        }
        catch (TypeInitializationException ex)
        {
            var failure = HookFailure.FromException(ex.InnerException ?? ex);
            throw new ModuleLoadException(new ModuleDiagnostic(generation.Module, failure.File ?? generation.Source.Path, failure.Line, failure.Column, MoltDiagnosticIds.StaticConstructorThrew,
                DiagnosticSeverity.Error, $"The static constructor of {type.FullName} threw {failure.Description}"));
        }
    }

    /// <summary>Runs a reflection lookup; a type that cannot be loaded fails the load as <see cref="LoadTypes"/> would have.</summary>
    private static T Resolve<T>(ModuleBuild generation, Func<T> lookup)
    {
        try
        {
            return lookup();
        }
        catch (TypeLoadException ex)
        {
            throw Failure(generation, MoltDiagnosticIds.TypeLoadFailed, $"Types of the module could not be loaded: {ex.Message}");
        }
    }

    private static ModuleLoadException Failure(ModuleBuild generation, string id, string message) =>
        new(new ModuleDiagnostic(generation.Module, generation.Source.Path, 0, 0, id, DiagnosticSeverity.Error, message));
}
