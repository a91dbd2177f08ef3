using System.Runtime.CompilerServices;
using Molt.Tests.Infrastructure;

namespace Molt.Tests.Packages;

/// <summary>Source modules that declare <c>[assembly: PackageReference]</c>, with real restores by the SDK.</summary>
public sealed class SourcePackageTests : IDisposable
{
    private readonly string _packages = Path.Combine(Path.GetTempPath(), "molt-tests", "packages-" + Guid.NewGuid().ToString("N")[..12]);

    public void Dispose()
    {
        if (Directory.Exists(_packages))
        {
            Directory.Delete(_packages, recursive: true);
        }
    }

    [Fact]
    public async Task AModuleCallsAPackageTheHostDoesNotReferenceReloadsAndItsRetiredGenerationUnloads()
    {
        await using var workspace = new ModuleWorkspace();
        workspace.Write("markup.cs", PackageSources.Markup.Replace("VERSION", "v1"));
        workspace.Write("second.cs", PackageSources.Second);
        var engine = await workspace.StartAsync(o => o.PackageCachePath = _packages);
        var unloaded = new TaskCompletionSource<GenerationEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        engine.GenerationUnloaded += (_, e) =>
        {
            if (e.Module == "markup")
            {
                unloaded.TrySetResult(e);
            }
        };

        var escape = engine.GetEntryPoint<Func<string, string>>("markup", "Escape");
        Assert.Equal("v1:[[x]]", escape.Current("[x]"));
        Assert.Equal("x", engine.GetEntryPoint<Func<string, string>>("second", "Plain").Current("[bold]x[/]"));
        Assert.DoesNotContain(AppDomain.CurrentDomain.GetAssemblies(), a => a.GetName().Name == "Spectre.Console" && System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(a) == System.Runtime.Loader.AssemblyLoadContext.Default);
        var where = engine.GetEntryPoint<Func<string>>("markup", "Where").Current().Split('|');
        Assert.Equal("molt:markup#1", where[0]);
        Assert.EndsWith(Path.Combine("spectre.console", "0.49.1", "lib", "net8.0", "Spectre.Console.dll"), where[1], StringComparison.OrdinalIgnoreCase);

        // Both modules ask for the same package (its id in another case): one restore.
        Assert.Equal(1, engine.PackageRestores);
        Assert.Single(Directory.GetFiles(_packages, "*.json"));

        workspace.Write("markup.cs", PackageSources.Markup.Replace("VERSION", "v2"));
        var result = await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload);
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("v2:[[x]]", escape.Current("[x]"));
        Assert.Equal(1, engine.PackageRestores);

        // The retired generation, with the package assembly it loaded, is collected.
        var collected = await unloaded.Task.WaitAsync(TestTimeouts.Verification);
        Assert.Equal(1, collected.Generation);
        await engine.WhenUnloadsVerifiedAsync().WaitAsync(TestTimeouts.Verification);
        Assert.Empty(engine.Manifest.RetiredAlive);
    }

    [Fact]
    public async Task ADependentCompilesAgainstAPackageTypeInItsDependencysApiAndSharesItsCopy()
    {
        await using var workspace = new ModuleWorkspace();
        workspace.Write("core.cs", PackageSources.Core);
        workspace.Write("user.cs", PackageSources.User);

        var engine = await workspace.StartAsync(o => o.PackageCachePath = _packages);

        Assert.Equal(5, engine.GetEntryPoint<Func<string, int>>("user", "Length").Current("hello"));
        Assert.True(engine.GetEntryPoint<Func<bool>>("user", "SameType").Current());
    }

    [Fact]
    public async Task APackageTheHostHasAtAHigherVersionResolvesToTheHostsCopy()
    {
        await using var workspace = new ModuleWorkspace();
        workspace.Write("logging.cs", PackageSources.Logging);

        var engine = await workspace.StartAsync(o => o.PackageCachePath = _packages);

        Assert.True(SameAsHost(engine), "the module's ILogger is not the host's");
        Assert.Equal(1, engine.PackageRestores);
    }

    [Fact]
    public async Task ARestartOnTheSamePackageCacheRunsNoRestoreAndACachedImageStillLoadsItsPackages()
    {
        var compiled = Path.Combine(_packages, "compiled");
        await using var workspace = new ModuleWorkspace();
        workspace.Write("markup.cs", PackageSources.Markup.Replace("VERSION", "v1"));
        var first = await workspace.StartAsync(o => (o.PackageCachePath, o.CompilationCachePath) = (_packages, compiled));
        Assert.Equal(1, first.PackageRestores);
        await first.DisposeAsync();

        var second = await workspace.StartAsync(o => (o.PackageCachePath, o.CompilationCachePath) = (_packages, compiled));

        Assert.Equal(0, second.PackageRestores);
        Assert.True(Assert.Single(second.Manifest.LastReload!.Changes).FromCache);
        Assert.Equal("v1:[[x]]", second.GetEntryPoint<Func<string, string>>("markup", "Escape").Current("[x]"));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool SameAsHost(MoltEngine engine) =>
        ReferenceEquals(typeof(Microsoft.Extensions.Logging.ILogger).Assembly, engine.GetEntryPoint<Func<System.Reflection.Assembly>>("logging", "LoggerAssembly").Current());
}
