using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;

namespace Molt.Samples.Tests;

public sealed partial class WebSiteTests
{
    private const string OldGreeting = "Hello from a reloadable handler";
    private const string NewGreeting = "Hello again, from the edited handler";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task AnEditedHandlerServesTheNextRequestWithTheSameCounterWhileRequestsInFlightCompleteAndABrokenEditKeepsItServing()
    {
        var site = SamplePaths.CopyModules("WebSite", "site");
        var handler = Path.Combine(site, "handler.cs");
        var original = await File.ReadAllTextAsync(handler);
        await using var sample = SampleProcess.Start("WebSite", "--urls", "http://127.0.0.1:0", "--site", site);
        var serving = await sample.WaitForLineAsync(l => l.StartsWith("WebSite: serving http://", StringComparison.Ordinal), Timeout);
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, MaxConnectionsPerServer = 64 })
        {
            BaseAddress = new Uri(UrlPattern().Match(serving).Value),
            Timeout = Timeout,
        };

        // The permanent part serves static files; the handler serves the page.
        var css = await http.GetAsync(new Uri("/site.css", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
        var first = await GetPageAsync(http, "/");
        Assert.Equal((OldGreeting, 0), (first.Greeting, first.Count));

        // POST increments and decrements, then redirects (303) to the page.
        foreach (var action in new[] { "/increment", "/increment", "/increment", "/decrement" })
        {
            using var posted = await http.PostAsync(new Uri(action, UriKind.Relative), content: null);
            Assert.Equal(HttpStatusCode.SeeOther, posted.StatusCode);
            Assert.Equal("/", posted.Headers.Location?.OriginalString);
        }

        Assert.Equal(2, (await GetPageAsync(http, "/")).Count);

        // Requests held inside the old handler while it is replaced; then a steady stream of requests across the reload.
        var slow = Enumerable.Range(0, 4).Select(_ => GetPageAsync(http, "/?delay=6000")).ToArray();
        await GetPageAsync(http, "/");
        var stream = StreamAsync(http, until: p => p.Greeting == NewGreeting, afterwards: 20);
        var reloadsBefore = sample.Lines.Count;
        await File.WriteAllTextAsync(handler, original.Replace(OldGreeting, NewGreeting, StringComparison.Ordinal));
        var streamed = await stream;
        Assert.All(streamed, p => Assert.Equal(2, p.Count));
        Assert.Contains(streamed, p => p.Greeting == OldGreeting);
        Assert.All(streamed.SkipWhile(p => p.Greeting == OldGreeting), p => Assert.Equal(NewGreeting, p.Greeting));
        var switchedAt = streamed.First(p => p.Greeting == NewGreeting).ReceivedAt;

        // The held requests entered generation 1 and finished in it after generation 2 took over;
        // the old generation is retired (and the reload reported) only once they are done.
        var held = await Task.WhenAll(slow);
        Assert.All(held, h => Assert.Equal((OldGreeting, 2), (h.Greeting, h.Count)));
        Assert.All(held, h => Assert.Contains("handler generation 1)", h.Html, StringComparison.Ordinal));
        Assert.Contains(held, h => h.ReceivedAt > switchedAt);
        await sample.WaitForLineAsync(l => l.StartsWith("RELOADED generation 2", StringComparison.Ordinal), Timeout, reloadsBefore);

        var edited = await GetPageAsync(http, "/");
        Assert.Equal((NewGreeting, 2), (edited.Greeting, edited.Count));
        using (var posted = await http.PostAsync(new Uri("/increment", UriKind.Relative), content: null))
        {
            Assert.Equal(HttpStatusCode.SeeOther, posted.StatusCode);
        }

        Assert.Equal(3, (await GetPageAsync(http, "/")).Count);

        // A broken edit: the failure is printed with file and line, and the edited handler keeps serving.
        var failedFrom = sample.Lines.Count;
        await File.WriteAllTextAsync(handler, original.Replace("_counter.Update(n => n + 1);", "_counter.Update(n => n + 1)", StringComparison.Ordinal));
        await sample.WaitForLineAsync(l => l.StartsWith("RELOAD FAILED", StringComparison.Ordinal), Timeout, failedFrom);
        await sample.WaitForLineAsync(l => l.Contains("handler.cs(", StringComparison.Ordinal) && l.Contains("CS1002", StringComparison.Ordinal), Timeout, failedFrom);
        var afterFailure = await GetPageAsync(http, "/");
        Assert.Equal((NewGreeting, 3), (afterFailure.Greeting, afterFailure.Count));
        // The same generation of the handler as before the broken edit. Its number is not always 2: a
        // write seen half done (an empty file) is a failed reload, and a failed reload keeps its number.
        Assert.True(HandlerGeneration(edited) > 1, edited.Html);
        Assert.True(HandlerGeneration(afterFailure) == HandlerGeneration(edited), $"{afterFailure.Html}\n--- the site printed:\n{sample.Output}");
    }

    /// <summary>GETs the page until <paramref name="until"/> held for <paramref name="afterwards"/> more responses; bounded in count and time.</summary>
    private static async Task<List<Page>> StreamAsync(HttpClient http, Func<Page, bool> until, int afterwards)
    {
        var pages = new List<Page>();
        var deadline = Stopwatch.GetTimestamp() + (long)(Timeout.TotalSeconds * Stopwatch.Frequency);
        var remaining = afterwards;
        while (remaining > 0)
        {
            Assert.True(pages.Count < 20_000 && Stopwatch.GetTimestamp() < deadline, $"The edited handler was not served within {pages.Count} requests.");
            var page = await GetPageAsync(http, "/");
            pages.Add(page);
            if (until(page))
            {
                remaining--;
            }
        }

        return pages;
    }

    /// <summary>GETs a page and checks that it is a whole, well-formed page.</summary>
    private static async Task<Page> GetPageAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} for {path}: {html}");
        var match = PagePattern().Match(html);
        Assert.True(match.Success, "Not a well-formed page: " + html);
        return new Page(match.Groups["greeting"].Value, int.Parse(match.Groups["count"].Value, System.Globalization.CultureInfo.InvariantCulture), html, Stopwatch.GetTimestamp());
    }

    private static int HandlerGeneration(Page page) =>
        int.Parse(HandlerGenerationPattern().Match(page.Html).Groups["number"].Value, System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex(@"handler generation (?<number>\d+)\)")]
    private static partial Regex HandlerGenerationPattern();

    [GeneratedRegex(@"http://127\.0\.0\.1:\d+")]
    private static partial Regex UrlPattern();

    [GeneratedRegex(@"\A<!DOCTYPE html>.*<h1>(?<greeting>[^<]+)</h1>\s*<p class=""counter"">count: (?<count>-?\d+)</p>.*last reloaded: \d{4}-\d\d-\d\d .*</html>\z", RegexOptions.Singleline)]
    private static partial Regex PagePattern();

    private sealed record Page(string Greeting, int Count, string Html, long ReceivedAt);
}
