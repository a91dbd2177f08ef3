using System.Diagnostics;
using Xunit.Abstractions;
using Molt.Tests.Infrastructure;
using static Molt.Tests.Reliability.WriterRace;

namespace Molt.Tests.Reliability;

/// <summary>
/// Issue 13, item 2: whoever writes a module file, and however, a reload never loads (nor compiles)
/// a generation from a file caught half-written. Reloads run back to back while the writer writes;
/// every module's proper prefixes fail to compile, so a partial read could not hide.
/// </summary>
[Collection(FileWritersCollection.Name)]
public sealed class WriterTests(ITestOutputHelper output)
{
    private const int TenMegabytes = 10 * 1024 * 1024;
    private const int FourMegabytes = 4 * 1024 * 1024;
    private static readonly string[] Versions = ["v2", "v1", "v2"];

    [Fact]
    public async Task ATenMegabyteFileWrittenWithOneWriteIsNeverLoadedHalfWritten() =>
        await RaceAsync(TenMegabytes, (path, bytes) => File.WriteAllBytes(path, bytes));

    [Fact]
    public async Task AFileTruncatedThenWrittenIsNeverLoadedHalfWritten() =>
        await RaceAsync(FourMegabytes, (path, bytes) =>
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
            stream.SetLength(0);
            stream.Flush(flushToDisk: true);
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        });

    [Fact]
    public async Task AFileWrittenInFourKilobyteChunksIsNeverLoadedHalfWritten() =>
        await RaceAsync(FourMegabytes, (path, bytes) =>
        {
            using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite, bufferSize: 1);
            for (var offset = 0; offset < bytes.Length; offset += 4096)
            {
                stream.Write(bytes, offset, Math.Min(4096, bytes.Length - offset));
                stream.Flush();
            }
        });

    [Fact]
    public async Task AFileCopiedOverByCpIsNeverLoadedHalfWritten() =>
        await RaceAsync(TenMegabytes, (path, bytes) =>
        {
            var source = Path.Combine(Path.GetTempPath(), "molt-cp-" + Guid.NewGuid().ToString("N") + ".cs");
            File.WriteAllBytes(source, bytes);
            try
            {
                using var cp = Process.Start("/bin/cp", [source, path]);
                Assert.True(cp.WaitForExit(TestTimeouts.Reload), "cp did not finish");
                Assert.Equal(0, cp.ExitCode);
            }
            finally
            {
                File.Delete(source);
            }
        });

    [Fact]
    public async Task AFileRenamedOverIsNeverLoadedHalfWritten() =>
        await RaceAsync(FourMegabytes, (path, bytes) =>
        {
            File.WriteAllBytes(path + ".tmp", bytes);
            File.Move(path + ".tmp", path, overwrite: true);
        });

    /// <summary>Writes v2, v1 and v2 again with <paramref name="write"/>, each while reloads run back to back.</summary>
    private async Task RaceAsync(int bytes, Action<string, byte[]> write)
    {
        await using var workspace = new ModuleWorkspace();
        var path = workspace.PathOf("payload.cs");
        var sources = new Dictionary<string, byte[]> { ["v1"] = Payload("v1", bytes), ["v2"] = Payload("v2", bytes) };
        File.WriteAllBytes(path, sources["v1"]);
        var engine = await workspace.StartAsync(o =>
        {
            o.MaxFileBytes = 16 * 1024 * 1024;
            o.FileQuietPeriod = WriterRace.QuietPeriod;
        });
        var value = engine.GetEntryPoint<Func<string>>("payload", "Value");
        Assert.Equal(Complete("v1"), value.Current());

        var seen = new List<(ReloadResult Result, string Value)>();
        foreach (var version in Versions)
        {
            seen.AddRange(await ReloadWhileAsync(engine, () => value.Current(), Task.Run(() => write(path, sources[version]))));
            Assert.Equal(Complete(version), seen[^1].Value);
        }

        Report(seen);
        AssertOnlyWholeFilesLoaded(seen, [Complete("v1"), Complete("v2")], Complete("v2"));
    }

    private void Report(List<(ReloadResult Result, string Value)> seen) =>
        output.WriteLine($"{seen.Count} reloads, {seen.Count(s => s.Result.Changes.Count > 0 && s.Result.Succeeded)} loaded a version, " +
            $"failures: {string.Join(", ", seen.SelectMany(s => s.Result.Errors).GroupBy(e => e.Id).Select(g => $"{g.Key} x{g.Count()}"))}");
}
