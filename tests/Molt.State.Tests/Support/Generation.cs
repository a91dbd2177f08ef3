using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Molt.State;

namespace Molt.State.Tests;

/// <summary>One generation of a module: real C# compiled by Roslyn and loaded into its own collectible load context.</summary>
internal sealed class Generation
{
    private static readonly Lazy<MetadataReference[]> References = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Append(typeof(IStateProvider).Assembly.Location)
            .Append(typeof(IPersistentState<>).Assembly.Location)
            .DistinctBy(Path.GetFileName)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToArray());

    private static int _count;

    private Generation(Assembly assembly, AssemblyLoadContext context)
    {
        Assembly = assembly;
        Context = context;
    }

    public Assembly Assembly { get; }

    public AssemblyLoadContext Context { get; }

    /// <summary>Compiles <paramref name="source"/> to an assembly image.</summary>
    public static byte[] Build(string source)
    {
        var compilation = CSharpCompilation.Create(
            $"Module{Interlocked.Increment(ref _count)}",
            [CSharpSyntaxTree.ParseText(source)],
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        Assert.True(emitted.Success, string.Join(Environment.NewLine, emitted.Diagnostics.Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error)));
        return image.ToArray();
    }

    /// <summary>Loads a compiled image as a fresh generation: same type names, new types.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Generation Load(byte[] image)
    {
        var context = new AssemblyLoadContext($"generation-{Interlocked.Increment(ref _count)}", isCollectible: true);
        using var stream = new MemoryStream(image);
        return new Generation(context.LoadFromStream(stream), context);
    }

    public static Generation Compile(string source) => Load(Build(source));

    public Type Type(string fullName) => Assembly.GetType(fullName, throwOnError: true)!;

    public bool Owns(Type type) => type.Assembly == Assembly;

    public Type? Resolve(string fullName) => Assembly.GetType(fullName, throwOnError: false);

    public CustomMigrationSet Migrations => CustomMigrationSet.Discover([Assembly]);

    public object? Call(string type, string method, params object?[] arguments) =>
        Type(type).GetMethod(method, BindingFlags.Public | BindingFlags.Static)!.Invoke(null, arguments);

    /// <summary>Opens a reload transaction from <paramref name="old"/> to this generation.</summary>
    public StateMigrationTransaction MigrateFrom(StateStore store, Generation old) =>
        store.BeginMigration(old.Owns, Resolve, Migrations);
}
