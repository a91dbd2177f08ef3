using System.Reflection;
using System.Runtime.Loader;
using Molt.Compilation;
using Molt.Harness.Infrastructure;
using Molt.Loading;
using Molt.Tests.Infrastructure;

namespace Molt.Tests.Engine;

/// <summary>
/// Loading finds a module's exports, module class, migrations, persistent statics and former names
/// from its metadata instead of reflecting over every type: what it finds must be exactly what
/// reflection over everything finds, on a module written to cover every way of declaring them and
/// on the benchmarks' generated program.
/// </summary>
public sealed class ImageIndexTests
{
    private const string Corpus = """
        using System;
        using System.Collections.Generic;

        namespace Corpus
        {
            [Export] public sealed class Service { public int Twice(int x) => x * 2; }
            public static class Api
            {
                [Export] public static int Value() => 1;
                [Export("renamed")] public static int Other() => 2;
                public static class Nested { [Export] public static int Deep() => 3; }
            }

            public interface IPlugin : IModule { }
            public interface IGeneric<T> : IModule { }
            public abstract class ModuleBase : IModule { }
            public sealed class NotAModule : IDisposable { public void Dispose() { } }
            public sealed record Point(int X, int Y);
            public struct ValueModule : IModule { }
            public abstract class AbstractModule : IModule { }
            public sealed class GenericModule<T> : IModule { }
            public sealed class ViaBase : ModuleBase { }
            public sealed class ViaInterface : IPlugin { }
            public sealed class ViaGeneric : IGeneric<int> { }
            public sealed class Outer { public sealed class Inner : IModule { } }
            public sealed class Comparer : IComparer<Point> { public int Compare(Point? a, Point? b) => 0; }

            [FormerName("Enemy")] public sealed class Foe { public int Health { get; set; } }
            [FormerName("Old.Boss"), FormerName("Chief")] public sealed class Boss { }

            public static class Migrations
            {
                [StateMigration] public static Foe FromEnemy(StateObject old) => new();
                [StateMigration(From = "Corpus.Chief")] private static Boss FromChief(StateObject old) => new();
            }

            public sealed class NotStatic { [StateMigration] public Foe Ignored(StateObject old) => new(); }

            public static class Counters
            {
                [Persistent] public static int Hits { get; set; }
                [Persistent] private static List<string> s_names = new();
                public static void Touch() => s_names.Add("x");
            }
        }
        """;

    [Fact]
    public void TheIndexFindsWhatReflectionOverEveryTypeFinds()
    {
        AssertSameAsReflection(new Dictionary<string, string> { ["corpus.cs"] = Corpus }, expectModuleClasses: 4);
    }

    [Fact]
    public void OnTheGeneratedProgramTheIndexFindsWhatReflectionFinds()
    {
        var files = Enumerable.Range(0, ProgramGenerator.FileCount).ToDictionary(i => ProgramGenerator.Name(i) + ".cs", i => ProgramGenerator.Source(i, 1, split: false));
        AssertSameAsReflection(files, expectModuleClasses: 0);
    }

    [Fact]
    public async Task AModuleClassIsFoundThroughABaseClassOfAnotherModule()
    {
        await using var workspace = new ModuleWorkspace();
        workspace.Write("kit.cs", """
            public abstract class KitModule : IModule
            {
                public static int Loaded;
                public ValueTask OnLoadAsync(IModuleContext context) { Loaded++; return ValueTask.CompletedTask; }
            }
            """);
        workspace.Write("game.cs", """
            [assembly: DependsOn("kit")]
            public sealed class Game : KitModule { }
            public static class Api { [Export] public static int Loads() => KitModule.Loaded; }
            """);
        var engine = await workspace.StartAsync();

        Assert.Equal(1, engine.GetEntryPoint<Func<int>>("game", "Loads").Current());
    }

    private static void AssertSameAsReflection(Dictionary<string, string> files, int expectModuleClasses)
    {
        var image = Compile(files);
        var index = ImageIndex.Read(image);
        var context = new AssemblyLoadContext("image-index-test", isCollectible: true);
        try
        {
            var assembly = context.LoadFromStream(new MemoryStream(image));
            var types = assembly.GetTypes();
            const BindingFlags declared = BindingFlags.Static | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
            var methods = types.SelectMany(t => t.GetMethods(declared)).ToArray();

            var exported = types.Cast<MemberInfo>().Concat(methods).Where(m => m.GetCustomAttribute<ExportAttribute>() is not null);
            Assert.Equal(Names(exported), Names(ImageIndex.Types(assembly, index.Exports.Where(ImageIndex.IsTypeToken)).Cast<MemberInfo>()
                .Concat(ImageIndex.Methods(assembly, index.Exports.Where(t => !ImageIndex.IsTypeToken(t))))));

            var moduleClasses = types.Where(t => typeof(IModule).IsAssignableFrom(t) && t.IsClass && !t.IsAbstract && !t.ContainsGenericParameters).ToArray();
            Assert.Equal(expectModuleClasses, moduleClasses.Length);
            Assert.Equal(Names(moduleClasses), Names(ImageIndex.Types(assembly, index.ModuleClasses).Where(moduleClasses.Contains)));

            Assert.Equal(Names(methods.Where(m => m.IsStatic && m.GetCustomAttribute<StateMigrationAttribute>() is not null)), Names(ImageIndex.Methods(assembly, index.StateMigrations)));
            Assert.Equal(Names(methods.Where(m => m.IsStatic && !m.IsPublic && m.Name.StartsWith(ImageIndex.BinderPrefix, StringComparison.Ordinal))), Names(ImageIndex.Methods(assembly, index.PersistentBinders)));
            Assert.Equal(Names(types.Where(t => t.GetCustomAttributes<FormerNameAttribute>().Any())), Names(ImageIndex.Types(assembly, index.FormerNames)));
            Assert.Equal(assembly.ManifestModule.ModuleVersionId, index.Mvid);
        }
        finally
        {
            context.Unload();
        }
    }

    private static string[] Names(IEnumerable<MemberInfo> members) =>
        [.. members.Select(m => m is Type type ? type.FullName! : $"{m.DeclaringType!.FullName}.{m.Name}").Order(StringComparer.Ordinal)];

    private static byte[] Compile(Dictionary<string, string> files)
    {
        var compiler = new ModuleCompiler(new MoltOptions { WarmUpCompiler = false, AllowProcessExit = true });
        var source = Delta.DeltaOracle.FolderSource(Path.Combine(Path.GetTempPath(), "molt-index-" + Guid.NewGuid().ToString("N")[..8], "app"), files);
        var diagnostics = new List<ModuleDiagnostic>();
        var facts = compiler.ReadFacts(source, diagnostics) ?? throw new InvalidOperationException(string.Join('\n', diagnostics));
        var compiled = compiler.Compile(new CompileRequest(source, facts, [], null, false), diagnostics) ?? throw new InvalidOperationException(string.Join('\n', diagnostics));
        return compiled.Image;
    }
}
