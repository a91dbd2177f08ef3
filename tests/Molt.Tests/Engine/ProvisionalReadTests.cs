using Molt.Modules;
using Molt.Reloading;
using Molt.Tests.Infrastructure;

namespace Molt.Tests.Engine;

/// <summary>
/// A file saved a moment ago is compiled at once, before its quiet period is over; the reload
/// stands only if the file is still the same once the period is over. A save still being written
/// when it was read makes the reload start over, and nothing of the half-written file is reported.
/// </summary>
public sealed class ProvisionalReadTests
{
    private static string Calc(int value) => $$"""
        public static class Calc
        {
            [Export] public static int Value() => {{value}};
        }
        """;

    [Fact]
    public async Task ASaveStillBeingWrittenWhenReadMakesTheReloadStartOverWithoutAnError()
    {
        await using var workspace = new ModuleWorkspace();
        workspace.Write("calc.cs", Calc(1));
        var faults = new ReloadFaults();
        var engine = await workspace.StartAsync(o =>
        {
            // Long enough that the scan below reads the half-written file before its quiet period is over.
            o.FileQuietPeriod = TimeSpan.FromMilliseconds(400);
            o.Faults = faults;
        });
        var value = engine.GetEntryPoint<Func<int>>("calc", "Value");
        var full = Calc(2);

        // The first half of a save; the rest arrives once the scan has read it (at the plan).
        workspace.Write("calc.cs", full[..(full.Length / 2)]);
        faults.Run(ReloadPhase.Plan, () => File.AppendAllText(workspace.PathOf("calc.cs"), full[(full.Length / 2)..]));
        var result = await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload);

        Assert.False(faults.IsArmed(ReloadPhase.Plan));
        Assert.True(result.Succeeded, result.Error);
        Assert.Empty(result.Errors);
        Assert.Equal(2, value.Current());
    }

    [Fact]
    public void AProvisionalReadSaysWhenTheFileWillHaveBeenQuiet()
    {
        var root = Directory.CreateTempSubdirectory("molt-provisional-").FullName;
        try
        {
            var path = Path.Combine(root, "a.cs");
            File.WriteAllText(path, "class A { }");
            var reader = new StableFileReader(new MoltOptions { FileQuietPeriod = TimeSpan.FromSeconds(1) });

            var file = reader.Read("m", path, ReadMode.Provisional);

            Assert.Equal("class A { }"u8.ToArray(), file.Content);
            Assert.Equal(file.Stamp.LastWriteUtc + TimeSpan.FromSeconds(1), file.QuietAt);
            Assert.True(file.IsCurrent);
            File.WriteAllText(path, "class B { }");
            Assert.False(file.IsCurrent);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
