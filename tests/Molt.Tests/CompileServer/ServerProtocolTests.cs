using System.Buffers.Binary;
using System.Net.Sockets;
using Microsoft.CodeAnalysis;
using Molt.Compilation.Server;

namespace Molt.Tests.CompileServer;

/// <summary>The protocol is strict both ways, and nothing a client sends ends the server.</summary>
public sealed class ServerProtocolTests
{
    private static ServerRequest Request() =>
        new("calc", "/m/calc.cs", "Molt.Modules.calc", new CompileSettings(OptimizationLevel.Release, true, false, PartialCompiles: false), HasDependents: true)
        {
            Files = [("/m/calc.cs", "class C { }"u8.ToArray())],
            References = [new ReferenceStamp("/r/a.dll", 10, 20)],
            DependencyImages = [[1, 2, 3]],
        };

    [Fact]
    public void ARequestSurvivesTheRoundTrip()
    {
        var decoded = CompileMessages.DecodeRequest(CompileMessages.Encode(Request()));

        Assert.Equal(("calc", "/m/calc.cs", "Molt.Modules.calc", true), (decoded.Module, decoded.SourcePath, decoded.AssemblyName, decoded.HasDependents));
        Assert.Equal(new CompileSettings(OptimizationLevel.Release, true, false, PartialCompiles: false), decoded.Settings);
        Assert.Equal("class C { }"u8.ToArray(), decoded.Files.Single().Content);
        Assert.Equal(new ReferenceStamp("/r/a.dll", 10, 20), decoded.References.Single());
        Assert.Equal([1, 2, 3], decoded.DependencyImages.Single());
    }

    [Fact]
    public void AReplySurvivesTheRoundTripWithItsDiagnostics()
    {
        var reply = new ServerReply(null, true, [new ModuleDiagnostic("x", "/m/calc.cs", 3, 7, "CS0219", DiagnosticSeverity.Warning, "unused")])
        {
            Image = [9, 9],
            Pdb = [8],
            ApiHash = "abc",
        };

        var decoded = CompileMessages.DecodeReply(CompileMessages.Encode(reply), "calc");

        Assert.Equal(new ModuleDiagnostic("calc", "/m/calc.cs", 3, 7, "CS0219", DiagnosticSeverity.Warning, "unused"), decoded.Diagnostics.Single());
        Assert.Equal([9, 9], decoded.Image);
        Assert.Equal([8], decoded.Pdb);
        Assert.Equal("abc", decoded.ApiHash);
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("trailing")]
    [InlineData("magic")]
    [InlineData("count")]
    [InlineData("version")]
    public void MalformedMessagesAreRefusedWithAReason(string damage)
    {
        var message = CompileMessages.Encode(Request());
        message = damage switch
        {
            "truncated" => message[..^2],
            "trailing" => [.. message, 0],
            "magic" => [0, .. message[1..]],
            "count" => Patch(message, 8, int.MaxValue),
            _ => Patch(message, 4, 99),
        };

        var error = Assert.Throws<CompileProtocolException>(() => CompileMessages.DecodeRequest(message));
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void TheTrustChecksRefuseOtherUsersAndOpenDirectories()
    {
        // The peer check is what refuses a server (or client) of another uid over SO_PEERCRED;
        // a real second user needs root to set up, so the decision itself is tested here.
        Assert.Throws<UnauthorizedAccessException>(() => ServerTrust.CheckPeer(peerUid: 1001, ownUid: 1000));
        ServerTrust.CheckPeer(1000, 1000);
        Assert.Contains("owned by uid 0", Assert.Throws<InvalidOperationException>(() => ServerTrust.CheckDirectory("/d", uid: 0, mode: 0x41C0, ownerUid: 1000)).Message);
        Assert.Contains("writable", Assert.Throws<InvalidOperationException>(() => ServerTrust.CheckDirectory("/d", 1000, 0x41F8, 1000)).Message);
        Assert.Contains("not a directory", Assert.Throws<InvalidOperationException>(() => ServerTrust.CheckDirectory("/d", 1000, 0xA1C0, 1000)).Message);
        ServerTrust.CheckDirectory("/d", 1000, 0x41C0, 1000);
    }

    [Fact]
    public async Task TheServerRefusesGarbageAndKeepsServing()
    {
        using var rig = new ServerRig();
        var server = await rig.StartServerAsync();

        var refused = CompileMessages.DecodeReply(await RoundTripAsync(rig.SocketPath, [.. "MLTC"u8, (byte)CompileMessages.Version, 0, 0, 0, 42]), "x");
        Assert.Contains("Malformed", refused.Refusal);

        // A length out of range: the connection is closed without an answer.
        using (var socket = await ConnectAsync(rig.SocketPath))
        {
            var header = new byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(header, int.MaxValue);
            await socket.SendAsync(header);
            Assert.Equal(0, await socket.ReceiveAsync(new byte[16]).WaitAsync(TimeSpan.FromSeconds(30)));
        }

        var stale = CompileMessages.DecodeReply(await RoundTripAsync(rig.SocketPath, CompileMessages.Encode(Request())), "calc");
        Assert.Contains("not the file the host saw", stale.Refusal);
        Assert.False(server.HasExited);
    }

    private static byte[] Patch(byte[] message, int offset, int value)
    {
        var copy = message.ToArray();
        BinaryPrimitives.WriteInt32LittleEndian(copy.AsSpan(offset), value);
        return copy;
    }

    private static async Task<Socket> ConnectAsync(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(path));
        return socket;
    }

    private static async Task<byte[]> RoundTripAsync(string path, byte[] message)
    {
        using var socket = await ConnectAsync(path);
        await using var stream = new NetworkStream(socket);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await Frames.WriteAsync(stream, message, timeout.Token);
        return await Frames.ReadAsync(stream, timeout.Token);
    }
}
