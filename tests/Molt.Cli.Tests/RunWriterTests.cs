namespace Molt.Cli.Tests;

/// <summary>
/// Issue 13, item 2, through the real watcher: large files written in place under <c>molt run</c>
/// never give a reload from a partial read. With <c>--verbose</c> every engine failure is printed,
/// even one the watcher would not show because newer events superseded it.
/// </summary>
public sealed class RunWriterTests
{
    [Fact]
    public async Task ATenMegabyteSourceWrittenWithOneWriteIsRefusedAsTooLargeNeverCompiledFromAPartialRead()
    {
        using var workspace = new TempWorkspace();
        var log = Path.Combine(workspace.Root, "loads.log");
        var path = workspace.PathOf("payload.cs");
        File.WriteAllBytes(path, Sources.Payload("v1", 4096, log));
        await using var molt = await MoltRunProcess.StartAsync(workspace, "--verbose");

        // The repro: one write() of 10 MB, over the 4 MiB limit. Any read of it before the
        // write ended would be under the limit, and would be compiled.
        File.WriteAllBytes(path, Sources.Payload("v2", 10 * 1024 * 1024, log));
        var failed = await molt.WaitForLineAsync(l => l.Contains("reload failed", StringComparison.Ordinal));

        Assert.Contains("a file is too large (MOLT004) in payload; generation 1 keeps serving", failed);
        AssertNoPartialRead(molt);
        Assert.DoesNotContain(molt.Lines, l => l.Contains(" reloaded ", StringComparison.Ordinal));
        var status = await MoltTool.RunAsync(workspace.RuntimeDirectory, "status", "--json");
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Equal(1, status.Json["generation"]!.GetValue<int>());
        Assert.Equal(["v1-complete"], File.ReadAllLines(log));

        // No wedge: the next save reloads.
        File.WriteAllBytes(path, Sources.Payload("v3", 4096, log));
        await molt.WaitForLineAsync(l => l.Contains("reloaded generation 2", StringComparison.Ordinal));
        Assert.Equal(["v1-complete", "v3-complete"], File.ReadAllLines(log));
    }

    [Fact]
    public async Task ThreeMegabyteSourcesWrittenWithOneWriteOrInFourKilobyteChunksReloadOnceEachAndWhole()
    {
        using var workspace = new TempWorkspace();
        var log = Path.Combine(workspace.Root, "loads.log");
        var path = workspace.PathOf("payload.cs");
        const int Size = 3 * 1024 * 1024;
        File.WriteAllBytes(path, Sources.Payload("v1", Size, log));
        await using var molt = await MoltRunProcess.StartAsync(workspace, "--verbose");

        File.WriteAllBytes(path, Sources.Payload("v2", Size, log));
        await molt.WaitForLineAsync(l => l.Contains("reloaded generation 2", StringComparison.Ordinal));
        var chunks = Sources.Payload("v3", Size, log);
        using (var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite, bufferSize: 1))
        {
            for (var offset = 0; offset < chunks.Length; offset += 4096)
            {
                stream.Write(chunks, offset, Math.Min(4096, chunks.Length - offset));
                stream.Flush();
            }
        }

        await molt.WaitForLineAsync(l => l.Contains("reloaded generation 3", StringComparison.Ordinal));
        var probe = await MoltTool.RunAsync(workspace.RuntimeDirectory, "reload", "--json");
        Assert.True(probe.ExitCode == 0, probe.ToString());
        Assert.Empty(probe.Json["changed"]!.AsArray());
        Assert.Equal(3, probe.Json["generation"]!.GetValue<int>());
        AssertNoPartialRead(molt);
        Assert.DoesNotContain(molt.Lines, l => l.Contains("failed", StringComparison.Ordinal));
        Assert.Equal(["v1-complete", "v2-complete", "v3-complete"], File.ReadAllLines(log));
    }

    /// <summary>No reload compiled a prefix (every prefix ends inside the comment) nor read the file empty.</summary>
    private static void AssertNoPartialRead(MoltRunProcess molt)
    {
        var transcript = molt.Transcript;
        Assert.False(transcript.Contains("error CS", StringComparison.Ordinal), transcript);
        Assert.False(transcript.Contains("MOLT007", StringComparison.Ordinal), transcript);
        Assert.False(transcript.Contains("MOLT008", StringComparison.Ordinal), transcript);
    }
}
