using System.Text.RegularExpressions;

namespace Molt.Tests.Architecture;

/// <summary>The README's reference sections kept in step with the code.</summary>
public sealed partial class ReadmeTests
{
    [Fact]
    public void TheDiagnosticsIdsSectionListsEveryIdOnceWithItsMeaningAndNoOther()
    {
        var readme = File.ReadAllText(Path.Combine(SourceTree.RepositoryRoot, "README.md"));
        var start = readme.IndexOf("### Diagnostics ids\n", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no '### Diagnostics ids' section");
        var end = readme.IndexOf("\n#", start + 1, StringComparison.Ordinal);
        var section = readme[start..(end < 0 ? readme.Length : end)];

        var rows = Row().Matches(section).Select(m => (Id: m.Groups["id"].Value, Meaning: m.Groups["meaning"].Value.Trim())).ToArray();
        Assert.Equal(MoltDiagnosticIds.All, rows.Select(r => r.Id));
        Assert.All(rows, r => Assert.False(string.IsNullOrWhiteSpace(r.Meaning), $"{r.Id} has no meaning"));

        // No id mentioned anywhere in the section (a range, a grouping) that is not Molt's.
        var mentioned = Id().Matches(section).Select(m => m.Value).Distinct().Order(StringComparer.Ordinal);
        Assert.Equal(MoltDiagnosticIds.All, mentioned);
    }

    [GeneratedRegex(@"^\| `(?<id>MOLT\d{3})` \|(?<meaning>[^|\n]*)\|\s*$", RegexOptions.Multiline)]
    private static partial Regex Row();

    [GeneratedRegex(@"MOLT\d{3}")]
    private static partial Regex Id();
}
