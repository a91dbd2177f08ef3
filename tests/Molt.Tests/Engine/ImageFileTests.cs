using Molt.Tests.Infrastructure;

namespace Molt.Tests.Engine;

/// <summary>
/// A large image is loaded from a file in a private directory instead of from memory: it serves as
/// one loaded from memory does (stack traces keep file and line), the image file goes once loaded,
/// its PDB when its generation unloads, the engine's directory with the engine, and directories
/// that dead processes left behind when the next engine starts.
/// </summary>
public sealed class ImageFileTests : IDisposable
{
    private readonly string _parent = Directory.CreateTempSubdirectory("molt-image-files-").FullName;

    private static string App(int padding) => $$"""
        public static class App
        {
            [Export] public static string Where()
            {
                {{string.Concat(Enumerable.Repeat("\n", padding))}}
                try { throw new System.InvalidOperationException("boom"); }
                catch (System.Exception e) { return e.StackTrace ?? "none"; }
            }
        }
        """;

    [Fact]
    public async Task AnImageLoadedFromAFileServesWithItsLinesAndItsFilesGoWithIt()
    {
        var stale = Directory.CreateDirectory(Path.Combine(_parent, "molt-images-999999999-0123456789abcdef")).FullName;
        await using var workspace = new ModuleWorkspace();
        workspace.Write("app.cs", App(0));
        var engine = await workspace.StartAsync(o =>
        {
            o.ImageFilesDirectory = _parent;
            o.ImageFileThreshold = 0;
        });
        var where = engine.GetEntryPoint<Func<string>>("app", "Where");

        Assert.Contains("app.cs:line 6", where.Current(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(stale), "a dead process's directory was left");
        var root = Assert.Single(Directory.GetDirectories(_parent));
        Assert.Empty(Directory.GetFiles(root, "*.dll", SearchOption.AllDirectories));
        var first = Assert.Single(Directory.GetFiles(root, "*.pdb", SearchOption.AllDirectories));

        workspace.Write("app.cs", App(3));
        var result = await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload);

        Assert.True(result.Succeeded, result.Error);
        Assert.Contains("app.cs:line 9", where.Current(), StringComparison.Ordinal);
        Assert.NotEqual(first, Assert.Single(Directory.GetFiles(root, "*.pdb", SearchOption.AllDirectories)));

        await engine.DisposeAsync();
        Assert.False(Directory.Exists(root));
    }

    public void Dispose() => Directory.Delete(_parent, recursive: true);
}
