using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace Molt.Loading;

/// <summary>Loads a compiled generation into its own load context and finds its exports and lifecycle.</summary>
internal static class GenerationLoader
{
    public static LoadedImage Load(ModuleBuild generation, IReadOnlyDictionary<string, Assembly> dependencyAssemblies)
    {
        var context = new ModuleLoadContext($"molt:{generation.DisplayName}", dependencyAssemblies, PrivateAssets.For(generation.Source), generation.Compiled.Packages);
        Assembly assembly;
        try
        {
            using var image = new MemoryStream(generation.Compiled.Image, writable: false);
            using var pdb = generation.Compiled.Pdb is { } p ? new MemoryStream(p, writable: false) : null;
            assembly = context.LoadFromStream(image, pdb);
        }
        catch (Exception ex) when (ex is BadImageFormatException or FileLoadException)
        {
            context.Unload();
            throw Failure(generation, MoltDiagnosticIds.BadImage, $"Cannot load the assembly: {ex.Message}");
        }

        try
        {
            var types = GetTypes(generation, assembly);
            var exports = FindExports(generation, assembly);
            var lifecycle = CreateLifecycle(generation, types);
            return new LoadedImage(context, assembly, exports, lifecycle);
        }
        catch
        {
            context.Unload();
            throw;
        }
    }

    private static Type[] GetTypes(ModuleBuild generation, Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException ex)
        {
            var reasons = ex.LoaderExceptions.Where(e => e is not null).Select(e => e!.Message).Distinct().Take(5);
            throw Failure(generation, MoltDiagnosticIds.TypeLoadFailed, $"Types of the module could not be loaded: {string.Join("; ", reasons)}");
        }
    }

    private static ImmutableDictionary<string, Export> FindExports(ModuleBuild generation, Assembly assembly)
    {
        var exports = ImmutableDictionary.CreateBuilder<string, Export>(StringComparer.Ordinal);
        void Add(Export export)
        {
            if (!exports.TryAdd(export.Name, export))
            {
                throw Failure(generation, MoltDiagnosticIds.DuplicateExport, $"Two exports are named '{export.Name}': {exports[export.Name].Describe()} and {export.Describe()}.");
            }
        }

        foreach (var member in ExportScan.Find(generation.Compiled.Image, assembly))
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

    private static IModule? CreateLifecycle(ModuleBuild generation, Type[] types)
    {
        var candidates = types.Where(t => typeof(IModule).IsAssignableFrom(t) && t.IsClass && !t.IsAbstract && !t.ContainsGenericParameters).ToArray();
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

    private static ModuleLoadException Failure(ModuleBuild generation, string id, string message) =>
        new(new ModuleDiagnostic(generation.Module, generation.Source.Path, 0, 0, id, DiagnosticSeverity.Error, message));
}
