using System.Text;

namespace Molt.Control.Tests;

public sealed class MalformedInputTests
{
    public static TheoryData<string, byte[], string> MalformedLines => new()
    {
        { "not JSON", Encoding.UTF8.GetBytes("this is not json"), "parse_error" },
        { "invalid UTF-8 outside strings", [0xFF, 0xFE, 0x7B, 0x7D], "parse_error" },
        { "invalid UTF-8 inside a string", [.. Encoding.UTF8.GetBytes("""{"command":"status","x":" """), 0xC3, 0x28, .. Encoding.UTF8.GetBytes("\"}")], "parse_error" },
        { "a JSON array", Encoding.UTF8.GetBytes("""[{"command":"status"}]"""), "invalid_request" },
        { "a JSON string", Encoding.UTF8.GetBytes("\"status\""), "invalid_request" },
        { "missing command", Encoding.UTF8.GetBytes("""{"id":7}"""), "invalid_request" },
        { "a command that is not a string", Encoding.UTF8.GetBytes("""{"command":5}"""), "invalid_request" },
        { "unknown command", Encoding.UTF8.GetBytes("""{"command":"format-disk"}"""), "unknown_command" },
        { "duplicate command", Encoding.UTF8.GetBytes("""{"command":"status","command":"stop"}"""), "parse_error" },
        { "nested 10,000 deep", Encoding.UTF8.GetBytes(new string('[', 10_000) + new string(']', 10_000)), "parse_error" },
        { "an object nested 10,000 deep", Encoding.UTF8.GetBytes("{\"command\":\"status\",\"a\":" + string.Concat(Enumerable.Repeat("{\"a\":", 10_000)) + "1" + new string('}', 10_001)), "parse_error" },
    };

    [Theory]
    [MemberData(nameof(MalformedLines))]
    public async Task AMalformedLineGetsAnErrorAndTheSameConnectionThenServesAValidRequest(string what, byte[] line, string expectedCode)
    {
        await using var server = await TestServer.StartAsync();
        using var connection = await server.ConnectRawAsync();

        await connection.SendAsync([.. line, (byte)'\n']);
        var error = await connection.ReadReplyAsync();
        await connection.SendLineAsync("""{"id":"after","command":"status"}""");
        var after = await connection.ReadReplyAsync();

        Assert.False(error["ok"]!.GetValue<bool>(), what);
        Assert.Equal(expectedCode, error["error"]!["code"]!.GetValue<string>());
        Assert.True(after["ok"]!.GetValue<bool>(), what);
        Assert.Equal("after", after["id"]!.GetValue<string>());
        Assert.Equal("status", Assert.Single(server.Handler.Received).Command);
    }

    [Fact]
    public async Task AnErrorForAnObjectEchoesItsId()
    {
        await using var server = await TestServer.StartAsync();
        using var connection = await server.ConnectRawAsync();

        await connection.SendLineAsync("""{"id":{"n":9},"command":"nope"}""");
        var reply = await connection.ReadReplyAsync();

        Assert.Equal(9, reply["id"]!["n"]!.GetValue<int>());
        Assert.Equal("unknown_command", reply["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task AnOversizedLineGetsAnErrorAndTheConnectionIsClosed()
    {
        await using var server = await TestServer.StartAsync();
        using var connection = await server.ConnectRawAsync();

        // Twice the default 64 KiB limit, with no newline: the server must not wait for one.
        await connection.SendAsync(Encoding.ASCII.GetBytes(new string('a', 128 * 1024)));
        var reply = await connection.ReadReplyAsync();

        Assert.Equal("request_too_large", reply["error"]!["code"]!.GetValue<string>());
        Assert.True(await connection.IsClosedByServerAsync());
        Assert.Empty(server.Handler.Received);
        Assert.True((await server.Client().SendAsync(new ControlRequest("status")).Bounded()).Ok);
    }

    [Fact]
    public async Task TheLineLimitIsExact()
    {
        const int Limit = 1024;
        await using var server = await TestServer.StartAsync(o => o.MaxRequestBytes = Limit);
        var request = """{"command":"status"}""";
        var fits = request + new string(' ', Limit - request.Length);

        using (var connection = await server.ConnectRawAsync())
        {
            await connection.SendLineAsync(fits);
            Assert.True((await connection.ReadReplyAsync())["ok"]!.GetValue<bool>());
        }

        using (var connection = await server.ConnectRawAsync())
        {
            await connection.SendLineAsync(fits + " ");
            Assert.Equal("request_too_large", (await connection.ReadReplyAsync())["error"]!["code"]!.GetValue<string>());
            Assert.True(await connection.IsClosedByServerAsync());
        }
    }

    [Fact]
    public async Task RandomBytesDoNotCrashTheServer()
    {
        await using var server = await TestServer.StartAsync();
        var random = new Random(20240611);
        using var connection = await server.ConnectRawAsync();

        // Replies are read while sending: otherwise both sides' buffers fill and each waits on the other.
        var replies = Task.Run(async () =>
        {
            var errors = 0;
            while (true)
            {
                var reply = await connection.ReadReplyAsync();
                if (reply["id"]?.GetValueKind() == System.Text.Json.JsonValueKind.String && reply["id"]!.GetValue<string>() == "final")
                {
                    Assert.True(reply["ok"]!.GetValue<bool>());
                    return errors;
                }

                Assert.False(reply["ok"]!.GetValue<bool>());
                errors++;
            }
        });
        for (var i = 0; i < 300; i++)
        {
            var chunk = new byte[random.Next(1, 2000)];
            random.NextBytes(chunk);
            await connection.SendAsync(chunk);
        }

        await connection.SendAsync("\n"u8.ToArray());
        await connection.SendLineAsync("""{"id":"final","command":"status"}""");
        var errorReplies = await replies.Bounded();

        Assert.True(errorReplies > 0);
        Assert.True((await server.Client().SendAsync(new ControlRequest("status")).Bounded()).Ok);
    }

    [Fact]
    public async Task RandomBytesOnManyConnectionsThatCloseMidLineDoNotCrashTheServer()
    {
        await using var server = await TestServer.StartAsync();
        var random = new Random(7);

        for (var i = 0; i < 50; i++)
        {
            using var connection = await server.ConnectRawAsync();
            var chunk = new byte[random.Next(1, 4000)];
            random.NextBytes(chunk);
            await connection.SendAsync(chunk);
        }

        Assert.True((await server.Client().SendAsync(new ControlRequest("status")).Bounded()).Ok);
    }

    [Fact]
    public async Task AFuzzStormLeavesNoUnboundedMemoryBehind()
    {
        await using var server = await TestServer.StartAsync();
        var random = new Random(99);

        // Warm up, then measure the managed heap around 600 hostile connections: half-lines just
        // under the limit left open then dropped, oversized lines, random bytes, deep nesting.
        Assert.True((await server.Client().SendAsync(new ControlRequest("status")).Bounded()).Ok);
        var before = GC.GetTotalMemory(forceFullCollection: true);
        for (var i = 0; i < 600; i++)
        {
            using var connection = await server.ConnectRawAsync();
            var payload = (i % 4) switch
            {
                0 => new byte[60 * 1024],
                1 => new byte[200 * 1024],
                2 => System.Text.Encoding.UTF8.GetBytes(new string('[', 5_000) + "\n"),
                _ => new byte[random.Next(1, 8_000)],
            };
            if (i % 4 is 0 or 3)
            {
                random.NextBytes(payload);
                payload = [.. payload.Where(b => b != (byte)'\n')];
            }
            else if (i % 4 == 1)
            {
                Array.Fill(payload, (byte)'a');
            }

            try
            {
                await connection.SendAsync(payload);
            }
            catch (IOException)
            {
                // The server closes oversized lines: writing the rest may then fail. That is the point.
            }
        }

        Assert.True((await server.Client().SendAsync(new ControlRequest("status")).Bounded()).Ok);
        var after = GC.GetTotalMemory(forceFullCollection: true);
        Assert.True(after - before < 16 * 1024 * 1024, $"managed heap grew by {(after - before) / 1024} KiB over 600 hostile connections");
    }
}
