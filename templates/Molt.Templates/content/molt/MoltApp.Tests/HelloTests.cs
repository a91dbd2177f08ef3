using Molt;
using Xunit;

namespace MoltApp.Tests;

public sealed class HelloTests
{
    private static string Modules([System.Runtime.CompilerServices.CallerFilePath] string here = "") =>
        Path.Combine(Path.GetDirectoryName(here)!, "..", "modules");

    [Fact]
    public async Task TheModuleGreetsAndCountsAcrossAReload()
    {
        // The real module, compiled by the real engine, in a copy so the test can edit it.
        var copy = Directory.CreateTempSubdirectory("moltapp-test").FullName;
        File.Copy(Path.Combine(Modules(), "hello.cs"), Path.Combine(copy, "hello.cs"));
        await using var engine = new MoltEngine(new MoltOptions { ModuleDirectories = { copy } });
        var start = await engine.StartAsync();
        Assert.True(start.Succeeded, start.Error);
        var greet = engine.GetEntryPoint<Func<string, string>>("hello", "Greet");
        var first = greet.Current("you");
        Assert.Contains("you", first, StringComparison.Ordinal);
        Assert.Contains("(1 ", first, StringComparison.Ordinal);

        // Any edit makes a new generation; the [Persistent] count carries over to it.
        File.AppendAllText(Path.Combine(copy, "hello.cs"), "\n// edited by the test\n");
        var reload = await engine.ReloadAsync();

        Assert.True(reload.Succeeded, reload.Error);
        Assert.Equal(2, greet.Generation);
        Assert.Contains("(2 ", greet.Current("you"), StringComparison.Ordinal);
        Directory.Delete(copy, recursive: true);
    }
}
