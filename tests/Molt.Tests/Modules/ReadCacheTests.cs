using System.Diagnostics;
using Molt.Interop;
using Molt.Modules;

namespace Molt.Tests.Modules;

/// <summary>
/// A scan gives again the content of a file the kernel says is unchanged since an earlier read,
/// and reads again every file that may have changed: rewritten with the same size and its write
/// time set back, replaced by a rename with the same size and time, or changed right after it was read.
/// </summary>
public sealed class ReadCacheTests : IDisposable
{
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(100);
    private readonly string _root = Directory.CreateTempSubdirectory("molt-read-cache-").FullName;
    private readonly StableFileReader _reader = new(new MoltOptions(), new ReadCache(Window));

    /// <summary>Whether the temporary directory is on a file system the cache trusts (it reads every time elsewhere).</summary>
    private bool Trusted => UnixInterop.TryGetFileSystemType(_root) is 0xEF53 or 0x58465342 or 0x9123683E or 0x01021994 or 0x794C7630 or 0x2FC12FC1 or 0xF2F52010;

    [Fact]
    public async Task AnUnchangedFileIsNotReadAgain()
    {
        var path = await WriteAgedAsync("a.cs", "class A { }");
        var first = _reader.Read("m", path);

        var second = _reader.Read("m", path);

        Assert.Equal("class A { }"u8.ToArray(), second.Content);
        Assert.Equal(Trusted ? 1 : 0, _reader.Cache.Hits);
        Assert.Equal(Trusted, ReferenceEquals(first, second));
    }

    [Fact]
    public async Task AFileRewrittenWithTheSameSizeAndItsWriteTimeSetBackIsReadAgain()
    {
        var path = await WriteAgedAsync("a.cs", "class A { int x = 1; }");
        _reader.Read("m", path);
        var written = File.GetLastWriteTimeUtc(path);

        File.WriteAllText(path, "class A { int x = 2; }");
        File.SetLastWriteTimeUtc(path, written);

        Assert.Equal("class A { int x = 2; }"u8.ToArray(), _reader.Read("m", path).Content);
    }

    [Fact]
    public async Task AFileReplacedByARenameWithTheSameSizeAndTimeIsReadAgain()
    {
        var path = await WriteAgedAsync("a.cs", "class A { int x = 1; }");
        _reader.Read("m", path);
        var written = File.GetLastWriteTimeUtc(path);
        var next = Path.Combine(_root, "a.cs.tmp");
        File.WriteAllText(next, "class A { int x = 3; }");
        File.SetLastWriteTimeUtc(next, written);

        File.Move(next, path, overwrite: true);

        Assert.Equal("class A { int x = 3; }"u8.ToArray(), _reader.Read("m", path).Content);
    }

    [Fact]
    public void AFileReadRightAfterItChangedIsNotRemembered()
    {
        var path = Path.Combine(_root, "a.cs");
        File.WriteAllText(path, "class A { int x = 1; }");
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddSeconds(-5)); // quiet to the reader; the change time stays now
        _reader.Read("m", path);

        // The same size, within the same timestamp tick as the first write on a coarse file system.
        File.WriteAllText(path, "class A { int x = 4; }");
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddSeconds(-5));

        Assert.Equal("class A { int x = 4; }"u8.ToArray(), _reader.Read("m", path).Content);
        Assert.Equal(0, _reader.Cache.Hits);
    }

    [Fact]
    public async Task FilesNoLongerInAnyModuleAreForgotten()
    {
        var path = await WriteAgedAsync("a.cs", "class A { }");
        _reader.Read("m", path);

        _reader.Cache.KeepOnly([]);
        _reader.Read("m", path);

        Assert.Equal(0, _reader.Cache.Hits);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>Writes a file and waits (bounded) until its last change is older than the cache's window.</summary>
    private async Task<string> WriteAgedAsync(string name, string content)
    {
        var path = Path.Combine(_root, name);
        File.WriteAllText(path, content);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddSeconds(-5));
        var changed = UnixInterop.TryGetChangeStamp(path)?.ChangedUtc ?? DateTime.UtcNow;
        var waited = Stopwatch.StartNew();
        while (DateTime.UtcNow - changed < Window * 2)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(10), "the clock did not move past the file's change time");
            await Task.Delay(20);
        }

        return path;
    }
}
