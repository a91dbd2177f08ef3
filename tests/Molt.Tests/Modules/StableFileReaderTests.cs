using Molt.Modules;

namespace Molt.Tests.Modules;

/// <summary>
/// A file listed by a scan and gone when read is churn (a checkout deletes each file before it
/// writes it again): the scan starts over, and reports it as unstable if it never settles. A link
/// to nowhere is there, and unreadable for good.
/// </summary>
public sealed class StableFileReaderTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("molt-reader-").FullName;

    [Fact]
    public void AFileGoneSinceItWasListedIsUnstableNotUnreadable()
    {
        var reader = new StableFileReader(new MoltOptions());
        var error = Assert.Throws<ModuleScanException>(() => reader.Read("m", Path.Combine(_root, "gone.cs")));
        Assert.Equal(MoltDiagnosticIds.FilesUnstable, error.Diagnostic.Id);
    }

    [Fact]
    public void ALinkToNowhereIsUnreadable()
    {
        var link = Path.Combine(_root, "link.cs");
        File.CreateSymbolicLink(link, Path.Combine(_root, "nowhere.cs"));
        var reader = new StableFileReader(new MoltOptions());
        var error = Assert.Throws<ModuleScanException>(() => reader.Read("m", link));
        Assert.Equal(MoltDiagnosticIds.FileUnreadable, error.Diagnostic.Id);
    }

    [Fact]
    public void AQuietFileIsReadWhole()
    {
        var path = Path.Combine(_root, "a.cs");
        File.WriteAllText(path, "class A { }");
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddSeconds(-5));
        var file = new StableFileReader(new MoltOptions()).Read("m", path);
        Assert.Equal("class A { }"u8.ToArray(), file.Content.ToArray());
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
