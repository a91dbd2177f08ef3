namespace Molt.Control.Tests;

public sealed class DiscoveryTests
{
    [Fact]
    public async Task OnlyLiveSocketsOfLiveProcessesAreFound()
    {
        var directory = TempDirectory.Create("molt-disc-");
        var deadPid = await TestServer.ExitedProcessIdAsync();
        TestServer.CreateStaleSocket(Path.Combine(directory, $"{deadPid}.sock"));
        TestServer.CreateStaleSocket(Path.Combine(directory, "1.sock"));
        await File.WriteAllTextAsync(Path.Combine(directory, "2.sock"), "not a socket");
        await File.WriteAllTextAsync(Path.Combine(directory, "notes.txt"), "");
        var ourSocket = Path.Combine(directory, $"{Environment.ProcessId}.sock");
        await using var server = await TestServer.StartAsync(o => o.SocketPath = ourSocket, directory);

        var live = await ControlSocketDiscovery.FindLiveAsync(directory, CancellationToken.None).Bounded();

        Assert.Equal([new ControlSocketInfo(Environment.ProcessId, ourSocket)], live);
        Assert.Equal(Environment.ProcessId, (await ControlSocketDiscovery.FindSingleAsync(directory, CancellationToken.None).Bounded()).ProcessId);
    }

    [Fact]
    public async Task NoRunningProcessIsReportedClearly()
    {
        var directory = TempDirectory.Create("molt-disc-");
        TestServer.CreateStaleSocket(Path.Combine(directory, $"{await TestServer.ExitedProcessIdAsync()}.sock"));

        var error = await Assert.ThrowsAsync<ControlDiscoveryException>(() => ControlSocketDiscovery.FindSingleAsync(directory, CancellationToken.None)).Bounded();

        Assert.Empty(error.Candidates);
        Assert.Contains("No running Molt process", error.Message);
    }

    [Fact]
    public async Task AMissingDirectoryMeansNoProcesses()
    {
        var directory = Path.Combine(TempDirectory.Create("molt-disc-"), "absent");

        Assert.Empty(await ControlSocketDiscovery.FindLiveAsync(directory, CancellationToken.None).Bounded());
    }

    [Fact]
    public async Task SeveralRunningProcessesAreReportedWithTheirPids()
    {
        var directory = TempDirectory.Create("molt-disc-");
        // pid 1 always exists; a server listening under its name stands in for a second Molt process.
        await using var first = await TestServer.StartAsync(o => o.SocketPath = Path.Combine(directory, "1.sock"), directory);
        await using var second = await TestServer.StartAsync(o => o.SocketPath = Path.Combine(directory, $"{Environment.ProcessId}.sock"), directory);

        var error = await Assert.ThrowsAsync<ControlDiscoveryException>(() => ControlSocketDiscovery.FindSingleAsync(directory, CancellationToken.None)).Bounded();

        Assert.Equal([1, Environment.ProcessId], error.Candidates.Select(c => c.ProcessId));
        Assert.Contains($"pids 1, {Environment.ProcessId}", error.Message);
    }

    [Fact]
    public async Task AnUnsafeDirectoryIsNotTrusted()
    {
        var directory = TempDirectory.Create("molt-disc-");
        File.SetUnixFileMode(directory, (UnixFileMode)0x1FF);

        await Assert.ThrowsAsync<InvalidOperationException>(() => ControlSocketDiscovery.FindLiveAsync(directory, CancellationToken.None)).Bounded();
    }
}
