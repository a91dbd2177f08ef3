using System.Text;
using Molt.Tests.Infrastructure;

namespace Molt.Tests.Reliability;

/// <summary>
/// Modules whose every proper prefix fails to compile (the value comes from a constant at the very
/// end, after a large comment), and a loop of reloads run back to back while a writer writes them.
/// </summary>
internal static class WriterRace
{
    /// <summary>
    /// The quiet period the races run with. With the default 10 ms, a writer thread preempted in the
    /// middle of its write() for longer than that (seen once in ~30 runs while the whole suite ran on
    /// two cores) is indistinguishable from a finished save, and the read is partial; these tests
    /// check the mechanism (empty files, growing files, files that come and go), not the scheduler.
    /// </summary>
    public static readonly TimeSpan QuietPeriod = TimeSpan.FromMilliseconds(100);

    /// <summary>What <c>Payload.Value</c> returns when <paramref name="version"/> was read whole.</summary>
    public static string Complete(string version) => version + "-complete";

    /// <summary>A module of about <paramref name="bytes"/> bytes; any prefix of it ends inside the comment or the tail, and does not compile.</summary>
    public static byte[] Payload(string version, int bytes)
    {
        var text = new StringBuilder(bytes + 256);
        text.Append("public static class Payload\n{\n    [Export] public static string Value() => Tail.Mark;\n}\n\n/*\n");
        var line = new string('x', 99) + "\n";
        while (text.Length < bytes)
        {
            text.Append(line);
        }

        text.Append("*/\n\npublic static class Tail\n{\n    public const string Mark = \"").Append(Complete(version)).Append("\";\n}\n");
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>File <paramref name="index"/> of a 30-file folder module: one constant each; file 0 exports them all, joined.</summary>
    public static string Part(int index, string version)
    {
        var part = $"public static partial class Parts {{ public const string P{index:00} = \"{version}\"; }}\n";
        if (index != 0)
        {
            return part;
        }

        var all = string.Join(", ", Enumerable.Range(0, 30).Select(i => $"P{i:00}"));
        return part + $"public static partial class Parts {{ [Export] public static string Value() => string.Join(\",\", new[] {{ {all} }}.Distinct()); }}\n";
    }

    /// <summary>
    /// Reloads back to back until <paramref name="writer"/> is done, then once more; after each reload
    /// records its result and the value the generation it left serving returns.
    /// </summary>
    public static async Task<List<(ReloadResult Result, string Value)>> ReloadWhileAsync(MoltEngine engine, Func<string> value, Task writer)
    {
        var seen = new List<(ReloadResult, string)>();
        while (!writer.IsCompleted)
        {
            var result = await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload);
            seen.Add((result, value()));
        }

        await writer.WaitAsync(TestTimeouts.Reload);
        var last = await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload);
        seen.Add((last, value()));
        return seen;
    }

    /// <summary>
    /// Every reload left serving one of <paramref name="allowed"/>, the last one <paramref name="final"/>;
    /// and no reload compiled (or even read) a file caught half-written: no failure but files that never settled.
    /// </summary>
    public static void AssertOnlyWholeFilesLoaded(List<(ReloadResult Result, string Value)> seen, string[] allowed, string final)
    {
        var wrong = seen.Where(s => !allowed.Contains(s.Value)).Select(s => s.Value).Distinct().ToArray();
        Assert.True(wrong.Length == 0, $"a generation served {string.Join(", ", wrong)}, expected one of {string.Join(", ", allowed)}");
        var partial = seen.Select(s => s.Result).SelectMany(r => r.Errors).Where(e => e.Id != MoltDiagnosticIds.FilesUnstable).Select(e => e.ToString()).Distinct().ToArray();
        Assert.True(partial.Length == 0, $"{seen.Count} reloads; a file was read half-written:\n{string.Join("\n", partial.Take(5))}");
        Assert.True(seen[^1].Result.Succeeded, seen[^1].Result.Error);
        Assert.Equal(final, seen[^1].Value);
    }
}
