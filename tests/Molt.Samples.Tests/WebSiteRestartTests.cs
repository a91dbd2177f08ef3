using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Molt.Samples.Tests;

/// <summary>The WebSite hot-restarted by the real <c>molt restart</c> while clients keep loading its page.</summary>
public sealed partial class WebSiteRestartTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task MoltRestartUnderContinuousLoadFailsNoRequestRefusesNoConnectionAndCarriesTheCounter()
    {
        var site = SamplePaths.CopyModules("WebSite", "site");
        await using var sample = SampleProcess.Start("WebSite", "--urls", "http://127.0.0.1:0", "--site", site);
        var serving = Serving().Match(await sample.WaitForLineAsync(l => Serving().IsMatch(l), Timeout));
        var oldPid = int.Parse(serving.Groups["pid"].Value, CultureInfo.InvariantCulture);
        Assert.Equal(sample.Id, oldPid);
        var address = new Uri(serving.Groups["url"].Value);
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = address, Timeout = Timeout };
        for (var i = 0; i < 3; i++)
        {
            using var posted = await http.PostAsync(new Uri("/increment", UriKind.Relative), content: null);
            Assert.Equal(HttpStatusCode.SeeOther, posted.StatusCode);
        }

        await using var load = new PageLoad(address, workers: 4);
        await load.WaitForPagesAsync(oldPid, 100, Timeout);

        var (exit, output, errors) = await MoltAsync("restart", "--pid", oldPid.ToString(CultureInfo.InvariantCulture), "--json");

        Assert.True(exit == 0, $"molt restart exited {exit}: {output}{errors}\n{sample.Output}");
        using var reply = JsonDocument.Parse(output);
        Assert.True(reply.RootElement.GetProperty("ok").GetBoolean());
        var newPid = reply.RootElement.GetProperty("newPid").GetInt32();
        sample.AddSuccessor(newPid);
        Assert.NotEqual(oldPid, newPid);
        Assert.Equal(["http"], reply.RootElement.GetProperty("listeners").EnumerateArray().Select(e => e.GetString()));
        await SampleProcess.WaitForGoneAsync(oldPid, Timeout);
        await load.WaitForPagesAsync(newPid, 100, Timeout);
        await load.DisposeAsync();

        Assert.Empty(load.Failures);
        Assert.Equal(0, load.Refused);
        // Every page, from either process, showed the counter the old process had: it was carried over.
        Assert.Equal([3], load.Counts);
        Assert.Contains(sample.Lines, l => l.StartsWith($"WebSite: stopped (pid {oldPid})", StringComparison.Ordinal));
        Assert.Contains(sample.Lines, l => l.Contains($"pid {newPid} (hot restart: took over the listener)", StringComparison.Ordinal));

        // The new process goes on from there.
        using (var posted = await http.PostAsync(new Uri("/increment", UriKind.Relative), content: null))
        {
            Assert.Equal(HttpStatusCode.SeeOther, posted.StatusCode);
        }

        var page = await http.GetStringAsync(new Uri("/", UriKind.Relative));
        Assert.Contains("count: 4</p>", page, StringComparison.Ordinal);
        Assert.Contains($"served by process {newPid}</p>", page, StringComparison.Ordinal);
        Console.WriteLine($"WebSite hot restart under load: {reply.RootElement.GetProperty("durationMs").GetDouble():0} ms to ready, {load.Total} pages, longest request {load.Longest.TotalMilliseconds:0} ms");
    }

    /// <summary>Runs the built <c>molt</c> tool to its end.</summary>
    private static async Task<(int Exit, string Output, string Errors)> MoltAsync(params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(SamplePaths.MoltCli());
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(Timeout);
        await process.WaitForExitAsync(cancel.Token);
        return (process.ExitCode, await output, await error);
    }

    [GeneratedRegex(@"WebSite: serving (?<url>http://127\.0\.0\.1:\d+) from .*, pid (?<pid>\d+)")]
    private static partial Regex Serving();
}
