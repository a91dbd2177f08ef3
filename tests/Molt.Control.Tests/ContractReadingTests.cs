using System.Text.Json.Nodes;

namespace Molt.Control.Tests;

/// <summary>What a client accepts: replies of earlier servers and newer ones, and nothing malformed.</summary>
public sealed class ContractReadingTests
{
    /// <summary>As the hand-written JSON of earlier versions had it: times with seven fractional digits.</summary>
    private const string EarlierReload = """
        {"ok":true,"generation":2,"trigger":"watcher","startedAt":"2025-03-14T09:26:53.5000000+02:00","durationMs":14.8,
         "changed":[{"module":"calc","kind":"changed","generation":2,"files":["/m/calc.cs"],"cached":false,"reused":false}],
         "error":null,
         "diagnostics":[{"module":"calc","file":"/m/calc.cs","line":3,"column":54,"id":"MOLT010","severity":"warning","message":"reset"}],
         "timings":{"scanMs":1,"compileMs":10.5,"loadMs":2,"switchMs":0.1,"retireMs":1.2}}
        """;

    [Fact]
    public void AReloadAsEarlierServersWroteItIsRead()
    {
        var reload = Read(EarlierReload);

        Assert.True(reload.Ok);
        Assert.Equal(new DateTimeOffset(2025, 3, 14, 9, 26, 53, 500, TimeSpan.FromHours(2)), reload.StartedAt);
        Assert.Equal(14.8, reload.DurationMs);
        Assert.Equal("/m/calc.cs", Assert.Single(Assert.Single(reload.Changed).Files));
        var diagnostic = Assert.Single(reload.Diagnostics);
        Assert.Equal(("/m/calc.cs", 3, 54, "MOLT010", "warning"), (diagnostic.File, diagnostic.Line, diagnostic.Column, diagnostic.Id, diagnostic.Severity));
        Assert.Equal(10.5, reload.Timings.CompileMs);
    }

    [Fact]
    public void MembersANewerServerAddsAreSkipped()
    {
        var body = JsonNode.Parse(EarlierReload)!.AsObject();
        body["repeated"] = false;
        body["timings"]!["verifyMs"] = 3;

        Assert.Equal(2, Read(body.ToJsonString()).Generation);
    }

    [Theory]
    [InlineData("generation")]
    [InlineData("changed")]
    [InlineData("timings")]
    public void AResultWithoutAMemberIsMalformed(string member)
    {
        var body = JsonNode.Parse(EarlierReload)!.AsObject();
        body.Remove(member);

        var error = Assert.Throws<ControlException>(() => Read(body.ToJsonString()));

        Assert.Contains(member, error.Message);
    }

    [Theory]
    [InlineData("trigger")]
    [InlineData("changed")]
    public void ANullWhereTheRecordAllowsNoneIsMalformed(string member)
    {
        var body = JsonNode.Parse(EarlierReload)!.AsObject();
        body[member] = null;

        Assert.Throws<ControlException>(() => Read(body.ToJsonString()));
    }

    [Fact]
    public void AResultOfAnotherShapeIsMalformed()
    {
        var error = Assert.Throws<ControlException>(() => ControlReply.Success(new JsonArray(1, 2)).ReadResult(ControlJson.StopReply));

        Assert.Contains(nameof(StopReply), error.Message);
    }

    [Fact]
    public void AFailedReplyHasNoResultToRead()
    {
        var failed = ControlReply.Failure(ControlErrorCodes.ShuttingDown, "stopping");

        Assert.Throws<InvalidOperationException>(() => failed.ReadResult(ControlJson.StatusReply));
    }

    private static ReloadReply Read(string json) => ControlReply.Success(JsonNode.Parse(json)).ReadResult(ControlJson.ReloadReply);
}
