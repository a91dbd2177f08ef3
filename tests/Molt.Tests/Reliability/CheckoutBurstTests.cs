using System.Diagnostics;
using Molt.Tests.Infrastructure;
using Xunit.Abstractions;
using static Molt.Tests.Reliability.WriterRace;

namespace Molt.Tests.Reliability;

/// <summary>
/// Issue 13, item 2, for many files at once: a <c>git checkout</c> that changes all 30 files of a
/// folder module while reloads run back to back. Each file holds one constant; the export joins
/// the distinct ones, so a generation built from a mix of old and new files would say <c>v1,v2</c>.
/// </summary>
[Collection(FileWritersCollection.Name)]
public sealed class CheckoutBurstTests(ITestOutputHelper output)
{
    private const int Files = 30;

    [Fact]
    public async Task AGitCheckoutOfThirtyFilesLoadsAllOldOrAllNewNeverAMix()
    {
        await using var workspace = new ModuleWorkspace();
        var switcher = CreateSwitcher(workspace);
        var engine = await workspace.StartAsync(o => o.FileQuietPeriod = QuietPeriod);
        var value = engine.GetEntryPoint<Func<string>>("burst", "Value");
        Assert.Equal("v1", value.Current());

        var seen = new List<(ReloadResult Result, string Value)>();
        foreach (var version in new[] { "v2", "v1", "v2", "v1", "v2", "v1" })
        {
            seen.AddRange(await ReloadWhileAsync(engine, () => value.Current(), Task.Run(() => switcher(version))));
            Assert.Equal(version, seen[^1].Value);
        }

        output.WriteLine($"{seen.Count} reloads, failures: {string.Join(", ", seen.SelectMany(s => s.Result.Errors).GroupBy(e => e.Id).Select(g => $"{g.Key} x{g.Count()}"))}");
        AssertOnlyWholeFilesLoaded(seen, ["v1", "v2"], "v1");
    }

    /// <summary>Writes both versions of the module; returns what switches the files to a version (git checkout, or without git a rename-over of each file).</summary>
    private static Action<string> CreateSwitcher(ModuleWorkspace workspace)
    {
        void WriteAll(string version)
        {
            for (var i = 0; i < Files; i++)
            {
                workspace.Write($"burst/f{i:00}.cs", Part(i, version));
            }
        }

        if (!GitAvailable())
        {
            return version =>
            {
                for (var i = 0; i < Files; i++)
                {
                    var path = workspace.PathOf($"burst/f{i:00}.cs");
                    File.WriteAllText(path + ".tmp", Part(i, version));
                    File.Move(path + ".tmp", path, overwrite: true);
                }
            };
        }

        // The repository sits in the module directory: .git is hidden, so scans and watchers skip it.
        Git(workspace.Root, "init", "-q");
        WriteAll("v2");
        Git(workspace.Root, "add", "-A");
        Git(workspace.Root, "commit", "-q", "-m", "v2");
        Git(workspace.Root, "tag", "v2");
        WriteAll("v1");
        Git(workspace.Root, "commit", "-q", "-a", "-m", "v1");
        Git(workspace.Root, "tag", "v1");
        return version => Git(workspace.Root, "checkout", "-q", version);
    }

    private static bool GitAvailable() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Any(d => File.Exists(Path.Combine(d, "git")));

    private static void Git(string root, params string[] args)
    {
        var info = new ProcessStartInfo("git") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])["-c", "user.name=molt", "-c", "user.email=molt@example.invalid", "-c", "commit.gpgsign=false", "-c", "advice.detachedHead=false", .. args])
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        using var git = Process.Start(info)!;
        var error = git.StandardError.ReadToEndAsync();
        git.StandardOutput.ReadToEnd();
        Assert.True(git.WaitForExit(TestTimeouts.Reload), $"git {string.Join(' ', args)} did not finish");
        Assert.True(git.ExitCode == 0, $"git {string.Join(' ', args)}: {error.Result}");
    }
}
