using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace Molt.Control.Tests;

/// <summary>The typed results: each record survives the wire whole, under the protocol's member names.</summary>
public sealed class ContractTests
{
    [Fact]
    public void AReloadReplyComesBackWhole() => AssertRoundTrip(SampleReplies.Reload, ControlJson.ReloadReply);

    [Fact]
    public void AStatusReplyComesBackWhole() => AssertRoundTrip(SampleReplies.Status, ControlJson.StatusReply);

    [Fact]
    public void AStatusReplyBeforeAnyReloadComesBackWhole() => AssertRoundTrip(SampleReplies.Status with { LastReload = null }, ControlJson.StatusReply);

    [Fact]
    public void AVerifyReplyComesBackWhole() => AssertRoundTrip(SampleReplies.Verify, ControlJson.VerifyReply);

    [Fact]
    public void ASnapshotReplyComesBackWhole() => AssertRoundTrip(SampleReplies.Snapshot, ControlJson.SnapshotReply);

    [Fact]
    public void AStopReplyComesBackWhole() => AssertRoundTrip(SampleReplies.Stop, ControlJson.StopReply);

    [Fact]
    public void ACheckReplyComesBackWhole() => AssertRoundTrip(SampleReplies.Check, ControlJson.CheckReply);

    [Fact]
    public async Task ARecordTheServerSendsIsReadByTheClientWithEveryMember()
    {
        await using var server = await TestServer.StartAsync();
        server.Handler.Behaviour = (_, _) => Task.FromResult(ControlReply.Success(SampleReplies.Status, ControlJson.StatusReply));

        var reply = await server.Client().SendAsync(new ControlRequest(ControlCommands.Status)).Bounded();

        Assert.Equivalent(SampleReplies.Status, reply.ReadResult(ControlJson.StatusReply), strict: true);
    }

    [Fact]
    public void TheMemberNamesAreTheProtocols()
    {
        var status = JsonSerializer.SerializeToNode(SampleReplies.Status, ControlJson.StatusReply)!;
        var reload = status["lastReload"]!;

        Assert.Equal(["pid", "generation", "modules", "lastReload", "retiredAlive"], Names(status));
        Assert.Equal(["name", "kind", "generation", "hash", "files", "loadedAt", "dependencies", "exports"], Names(status["modules"]![0]!));
        Assert.Equal(["module", "generation", "retiredAt", "status", "discarded"], Names(status["retiredAlive"]![0]!));
        Assert.Equal(["ok", "generation", "trigger", "startedAt", "durationMs", "changed", "unchangedSince", "error", "diagnostics", "timings"], Names(reload));
        Assert.Equal(["module", "kind", "generation", "files", "cached", "reused"], Names(reload["changed"]![0]!));
        Assert.Equal(["module", "file", "line", "column", "id", "severity", "message"], Names(reload["diagnostics"]![0]!));
        Assert.Equal(["scanMs", "compileMs", "loadMs", "switchMs", "retireMs"], Names(reload["timings"]!));
        Assert.Equal(["ok", "retiredAlive"], Names(JsonSerializer.SerializeToNode(SampleReplies.Verify, ControlJson.VerifyReply)!));
        Assert.Equal(["path", "written", "skipped"], Names(JsonSerializer.SerializeToNode(SampleReplies.Snapshot, ControlJson.SnapshotReply)!));
        Assert.Equal(["stopping", "pid"], Names(JsonSerializer.SerializeToNode(SampleReplies.Stop, ControlJson.StopReply)!));
        Assert.Equal(["ok", "modules", "error", "durationMs", "diagnostics"], Names(JsonSerializer.SerializeToNode(SampleReplies.Check, ControlJson.CheckReply)!));
    }

    [Fact]
    public void NullMembersAreWrittenNotLeftOut()
    {
        var reload = JsonSerializer.SerializeToNode(SampleReplies.Reload with { Ok = true, Error = null }, ControlJson.ReloadReply)!.AsObject();
        var status = JsonSerializer.SerializeToNode(SampleReplies.Status with { LastReload = null }, ControlJson.StatusReply)!.AsObject();

        Assert.True(reload.ContainsKey("error") && reload["error"] is null);
        Assert.True(status.ContainsKey("lastReload") && status["lastReload"] is null);
        Assert.Null(reload["diagnostics"]![1]!["file"]);
    }

    private static void AssertRoundTrip<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        var json = JsonSerializer.Serialize(value, typeInfo);

        var read = ControlReply.Success(JsonNode.Parse(json)).ReadResult(typeInfo);

        Assert.Equivalent(value, read, strict: true);
        Assert.Equal(json, JsonSerializer.Serialize(read, typeInfo));
    }

    private static string[] Names(JsonNode node) => [.. node.AsObject().Select(p => p.Key)];
}
