using Molt.Tests.Infrastructure;

namespace Molt.Tests.Packages;

/// <summary>Packages that cannot be resolved, and attributes that cannot be read: the reload fails at the attribute and the old generation serves.</summary>
public sealed class PackageFailureTests : IDisposable
{
    private const string Module = """
        [assembly: PackageReference(PACKAGE)]

        public static class M
        {
            [Export] public static string Id() => "GENERATION";
        }
        """;

    private readonly string _packages = Path.Combine(Path.GetTempPath(), "molt-tests", "packages-" + Guid.NewGuid().ToString("N")[..12]);

    public void Dispose()
    {
        if (Directory.Exists(_packages))
        {
            Directory.Delete(_packages, recursive: true);
        }
    }

    [Theory]
    [InlineData("\"Molt.No.Such.Package.Anywhere\", \"1.0.0\"", "Molt.No.Such.Package.Anywhere")]
    [InlineData("\"Spectre.Console\", \"999.0.0\"", "Spectre.Console")]
    public async Task AnUnknownPackageOrVersionFailsTheReloadAtTheAttributeAndTheOldGenerationServes(string arguments, string named)
    {
        await using var workspace = new ModuleWorkspace();
        var path = workspace.Write("m.cs", Module.Replace("PACKAGE", "\"Spectre.Console\", \"0.49.1\"").Replace("GENERATION", "one"));
        var engine = await workspace.StartAsync(o => o.PackageCachePath = _packages);
        var id = engine.GetEntryPoint<Func<string>>("m", "Id");

        workspace.Write("m.cs", Module.Replace("PACKAGE", arguments).Replace("GENERATION", "two"));
        var result = await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload);

        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Errors);
        Assert.Equal((MoltDiagnosticIds.PackageNotResolved, path, 1), (error.Id, error.File, error.Line));
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        Assert.Contains("a package could not be resolved", result.Error, StringComparison.Ordinal);
        Assert.Equal("one", id.Current());

        // Not remembered as resolved: the fix restores and loads.
        workspace.Write("m.cs", Module.Replace("PACKAGE", "\"Spectre.Console\", \"0.49.1\"").Replace("GENERATION", "three"));
        Assert.True((await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload)).Succeeded);
        Assert.Equal("three", id.Current());
    }

    [Theory]
    [InlineData("\"Spectre.Console\", Version")]
    [InlineData("\"Spectre.Console\"")]
    [InlineData("\"Spectre Console\", \"0.49.1\"")]
    [InlineData("\"Spectre.Console\", \"0.49.1\")]\n[assembly: PackageReference(\"Spectre.Console\", \"0.48.0\"")]
    public async Task AMalformedPackageReferenceIsReportedWithFileAndLine(string arguments)
    {
        await using var workspace = new ModuleWorkspace();
        var path = workspace.Write("m.cs", Module.Replace("PACKAGE", arguments).Replace("GENERATION", "one"));
        var engine = workspace.CreateEngine(o => o.PackageCachePath = _packages);

        var ex = await Assert.ThrowsAsync<MoltReloadException>(() => engine.StartAsync().WaitAsync(TestTimeouts.Reload));

        var error = Assert.Single(ex.Result.Errors);
        Assert.Equal((MoltDiagnosticIds.BadPackageReference, path), (error.Id, error.File));
        Assert.InRange(error.Line, 1, 2);
        Assert.Equal(0, engine.PackageRestores);
    }

    [Fact]
    public async Task ARestoreThatOutlivesItsTimeoutIsStoppedAndReported()
    {
        await using var workspace = new ModuleWorkspace();
        var path = workspace.Write("m.cs", Module.Replace("PACKAGE", "\"Spectre.Console\", \"0.49.1\"").Replace("GENERATION", "one"));
        var engine = workspace.CreateEngine(o => (o.PackageCachePath, o.PackageRestoreTimeout) = (_packages, TimeSpan.FromMilliseconds(1)));

        var ex = await Assert.ThrowsAsync<MoltReloadException>(() => engine.StartAsync().WaitAsync(TestTimeouts.Reload));

        var error = Assert.Single(ex.Result.Errors);
        Assert.Equal((MoltDiagnosticIds.PackageNotResolved, path, 1), (error.Id, error.File, error.Line));
        Assert.Contains("did not finish within", error.Message, StringComparison.Ordinal);
    }
}
