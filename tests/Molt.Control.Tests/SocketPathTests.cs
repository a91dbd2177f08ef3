namespace Molt.Control.Tests;

public sealed class SocketPathTests
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private static readonly uint Uid = LibC.GetEffectiveUserId();

    [Fact]
    public void AUsableXdgRuntimeDirIsHonoured()
    {
        var runtime = TempDirectory.Create("molt-xdg-");

        var resolved = ControlSocketPaths.ResolveDefaultDirectory(Environment(runtime), Uid, "/fallback");

        Assert.Equal(Path.Combine(runtime, "molt"), resolved);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("relative/run")]
    [InlineData("/nonexistent/molt-xdg")]
    public void WithoutAUsableXdgRuntimeDirThePerUserTmpDirectoryIsUsed(string? runtime)
    {
        var resolved = ControlSocketPaths.ResolveDefaultDirectory(Environment(runtime), Uid, "/tmp");

        Assert.Equal($"/tmp/molt-{Uid}", resolved);
    }

    [Fact]
    public void AWorldWritableXdgRuntimeDirIsNotUsed()
    {
        var runtime = TempDirectory.Create("molt-xdg-");
        File.SetUnixFileMode(runtime, (UnixFileMode)0x1FF);

        var resolved = ControlSocketPaths.ResolveDefaultDirectory(Environment(runtime), Uid, "/tmp");

        Assert.Equal($"/tmp/molt-{Uid}", resolved);
    }

    [Fact]
    public async Task TheXdgSocketDirectoryIsCreatedOwnerOnly()
    {
        var runtime = TempDirectory.Create("molt-xdg-");
        var directory = ControlSocketPaths.ResolveDefaultDirectory(Environment(runtime), Uid, "/tmp");

        await using var server = await TestServer.StartAsync(directory: directory);

        Assert.Equal(OwnerOnly, File.GetUnixFileMode(directory));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(server.SocketPath));
    }

    [Fact]
    public async Task WithoutASocketPathTheServerUsesTheDefaultPathForItsProcess()
    {
        var server = new ControlServer(new RecordingHandler());
        await server.StartAsync(CancellationToken.None).Bounded();
        try
        {
            var expected = ControlSocketPaths.GetDefaultSocketPath(System.Environment.ProcessId);
            Assert.Equal(expected, server.SocketPath);
            Assert.Equal($"{System.Environment.ProcessId}.sock", Path.GetFileName(expected));
            Assert.Equal(OwnerOnly, File.GetUnixFileMode(Path.GetDirectoryName(expected)!));
            Assert.True((await new ControlClient(new ControlClientOptions { SocketPath = expected }).SendAsync(new ControlRequest("status")).Bounded()).Ok);
        }
        finally
        {
            await server.DisposeAsync();
        }

        Assert.False(File.Exists(server.SocketPath));
    }

    [Fact]
    public async Task AWorldWritableDirectoryIsRefused()
    {
        var directory = TempDirectory.Create("molt-ctl-");
        File.SetUnixFileMode(directory, (UnixFileMode)0x1FF);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => TestServer.StartAsync(directory: directory)).Bounded();

        Assert.Contains("writable by group or others (mode 777)", error.Message);
        Assert.False(File.Exists(Path.Combine(directory, "c.sock")));
    }

    [Fact]
    public async Task AGroupWritableDirectoryIsRefused()
    {
        var directory = TempDirectory.Create("molt-ctl-");
        File.SetUnixFileMode(directory, OwnerOnly | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => TestServer.StartAsync(directory: directory)).Bounded();

        Assert.Contains("writable by group or others", error.Message);
    }

    [Fact]
    public async Task ASymlinkedDirectoryIsRefused()
    {
        var parent = TempDirectory.Create("molt-ctl-");
        var target = Directory.CreateDirectory(Path.Combine(parent, "target"), OwnerOnly).FullName;
        var link = Path.Combine(parent, "link");
        File.CreateSymbolicLink(link, target);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => TestServer.StartAsync(directory: link)).Bounded();

        Assert.Contains("symbolic link", error.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(target));
    }

    [RootFact]
    public async Task ADirectoryOwnedByAnotherUserIsRefused()
    {
        var (uid, gid) = await PeerUser.EnsureAsync();
        var directory = TempDirectory.Create("molt-ctl-");
        Assert.Equal(0, (await Shell.RunAsync("chown", $"{uid}:{gid}", directory)).ExitCode);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => TestServer.StartAsync(directory: directory)).Bounded();

        Assert.Contains($"owned by uid {uid}", error.Message);
    }

    [Fact]
    public async Task APathThatIsNotASocketIsLeftAlone()
    {
        var directory = TempDirectory.Create("molt-ctl-");
        var path = Path.Combine(directory, "c.sock");
        await File.WriteAllTextAsync(path, "precious");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => TestServer.StartAsync(directory: directory)).Bounded();

        Assert.Contains("not a socket", error.Message);
        Assert.Equal("precious", await File.ReadAllTextAsync(path));
    }

    private static Func<string, string?> Environment(string? runtime) =>
        name => name == "XDG_RUNTIME_DIR" ? runtime : null;
}
