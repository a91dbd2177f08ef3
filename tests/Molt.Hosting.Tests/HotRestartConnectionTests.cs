using System.Net;
using System.Net.Sockets;
using System.Text;
using Molt.Control;
using Molt.Hosting.HotRestart;

namespace Molt.Hosting.Tests;

/// <summary>
/// A transferable connection's hand-over steps inside one process, over a real TCP pair: a pause
/// never loses a byte, a resume goes on, a release leaves the peer connected to the other copy.
/// </summary>
public sealed class HotRestartConnectionTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly HotRestartConnections _connections = new(receiver: null, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
    private Socket _peer = null!;
    private HotRestartConnection _connection = null!;

    public async Task InitializeAsync()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var ours = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await ours.ConnectAsync(listener.LocalEndPoint!);
        _peer = await listener.AcceptAsync();
        _connection = _connections.Adopt("peer", ours);
    }

    public async Task DisposeAsync()
    {
        await _connection.DisposeAsync();
        _peer.Dispose();
    }

    [Fact]
    public async Task APauseStopsAWaitingReadWithoutLosingBytesAndAResumeGoesOn()
    {
        await SendAsync("one\ntw");
        Assert.Equal("one", await _connection.ReadLineAsync().AsTask().WaitAsync(TestTimeouts.Reload));
        var waiting = _connection.ReadLineAsync().AsTask();

        var handed = await _connection.SuspendAsync(Patience, CancellationToken.None).WaitAsync(TestTimeouts.Reload);
        await SendAsync("o\nthree\n");

        Assert.NotNull(handed);
        Assert.Equal("tw", Encoding.ASCII.GetString(handed.Pending!));
        Assert.False(waiting.IsCompleted);
        Assert.Equal(["peer"], _connections.All().Select(c => c.Name));
        _connection.Resume();
        Assert.Equal("two", await waiting.WaitAsync(TestTimeouts.Reload));
        Assert.Equal("three", await _connection.ReadLineAsync().AsTask().WaitAsync(TestTimeouts.Reload));
    }

    [Fact]
    public async Task AReleaseFailsWhatWaitsHereAndTheOtherCopyReadsOnWithThePeerConnected()
    {
        var waiting = _connection.ReadLineAsync().AsTask();
        _connection.State = "nick=molt";
        var handed = await _connection.SuspendAsync(Patience, CancellationToken.None).WaitAsync(TestTimeouts.Reload);
        // What the new process would get: its own descriptor for the same connection.
        using var copy = new Socket(new SafeSocketHandle(DescriptorPassing.Duplicate(_connection.Descriptor), ownsHandle: true));
        var writer = Task.Run(() => _connection.Write("late\n"u8));

        _connection.Release();

        Assert.Equal("nick=molt", handed!.State);
        var stopped = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(TestTimeouts.Reload));
        Assert.Equal(_connection.HandedOver, stopped.CancellationToken);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => writer.WaitAsync(TestTimeouts.Reload));
        await SendAsync("after\n");
        var buffer = new byte[16];
        Assert.Equal("after\n", Encoding.ASCII.GetString(buffer, 0, await copy.ReceiveAsync(buffer).WaitAsync(TestTimeouts.Reload)));
        await copy.SendAsync("pong\n"u8.ToArray());
        Assert.Equal("pong\n", Encoding.ASCII.GetString(buffer, 0, await _peer.ReceiveAsync(buffer).WaitAsync(TestTimeouts.Reload)));
        Assert.False(_peer.Poll(0, SelectMode.SelectRead), "the peer saw the connection close");
    }

    [Fact]
    public async Task AHandOverWaitsUntilTheLineReadLastIsAnsweredAndTheProgramReadsAgain()
    {
        await SendAsync("question\n");
        Assert.Equal("question", await _connection.ReadLineAsync().AsTask().WaitAsync(TestTimeouts.Reload));

        var suspending = _connection.SuspendAsync(Patience, CancellationToken.None);
        await Task.Delay(100);
        Assert.False(suspending.IsCompleted, "the hand-over did not wait for the answer");
        await _connection.WriteLineAsync("answer").AsTask().WaitAsync(TestTimeouts.Reload);
        var next = _connection.ReadLineAsync().AsTask();

        Assert.NotNull(await suspending.WaitAsync(TestTimeouts.Reload));
        var buffer = new byte[16];
        Assert.Equal("answer\n", Encoding.ASCII.GetString(buffer, 0, await _peer.ReceiveAsync(buffer).WaitAsync(TestTimeouts.Reload)));
        Assert.False(next.IsCompleted);
        _connection.Resume();
        await SendAsync("more\n");
        Assert.Equal("more", await next.WaitAsync(TestTimeouts.Reload));
    }

    [Fact]
    public async Task AProgramThatNeverReadsAgainFailsTheHandOverAndKeepsItsConnection()
    {
        await SendAsync("slow\n");
        Assert.Equal("slow", await _connection.ReadLineAsync().AsTask().WaitAsync(TestTimeouts.Reload));
        var failed = await Assert.ThrowsAsync<HotRestartFailedException>(() => _connection.SuspendAsync(TimeSpan.FromMilliseconds(200), CancellationToken.None).WaitAsync(TestTimeouts.Reload));
        Assert.Contains("'peer' was not back at a read within 0.2 s", failed.Message, StringComparison.Ordinal);

        await _connection.WriteLineAsync("done").AsTask().WaitAsync(TestTimeouts.Reload);
        await SendAsync("next\n");
        Assert.Equal("next", await _connection.ReadLineAsync().AsTask().WaitAsync(TestTimeouts.Reload));
    }

    [Fact]
    public async Task ABlockingWriteGoesOutWhileAReadIsPending()
    {
        var waiting = _connection.ReadLineAsync().AsTask();

        await Task.Run(() => _connection.Write("ping\n"u8)).WaitAsync(TestTimeouts.Reload);

        var buffer = new byte[16];
        Assert.Equal("ping\n", Encoding.ASCII.GetString(buffer, 0, await _peer.ReceiveAsync(buffer).WaitAsync(TestTimeouts.Reload)));
        await SendAsync("pong\n");
        Assert.Equal("pong", await waiting.WaitAsync(TestTimeouts.Reload));
    }

    [Fact]
    public async Task BytesReadLinesAndTheEndAreDeliveredAndALineOverTheLimitIsRefused()
    {
        _connection.MaxLineBytes = 8;
        await SendAsync("ab\r\ncdef");
        var buffer = new byte[3];
        Assert.Equal(3, await _connection.ReadAsync(buffer).AsTask().WaitAsync(TestTimeouts.Reload));
        Assert.Equal("ab\r", Encoding.ASCII.GetString(buffer));
        Assert.Equal("", await _connection.ReadLineAsync().AsTask().WaitAsync(TestTimeouts.Reload));
        await SendAsync("ghijk");
        await Assert.ThrowsAsync<InvalidDataException>(() => _connection.ReadLineAsync().AsTask().WaitAsync(TestTimeouts.Reload));
    }

    [Fact]
    public async Task TheLastUnterminatedLineAndThenNullAreReadAfterThePeerCloses()
    {
        await SendAsync("x\nlast");
        _peer.Shutdown(SocketShutdown.Send);
        Assert.Equal("x", await _connection.ReadLineAsync().AsTask().WaitAsync(TestTimeouts.Reload));
        Assert.Equal("last", await _connection.ReadLineAsync().AsTask().WaitAsync(TestTimeouts.Reload));
        Assert.Null(await _connection.ReadLineAsync().AsTask().WaitAsync(TestTimeouts.Reload));
    }

    [Fact]
    public async Task ANameIsUsedOnceAndOnlyAConnectedStreamSocketIsAdopted()
    {
        using var unconnected = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var datagram = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        Assert.Throws<ArgumentException>(() => _connections.Adopt("peer", _peer));
        Assert.Throws<ArgumentException>(() => _connections.Adopt("other", unconnected));
        Assert.Throws<ArgumentException>(() => _connections.Adopt("other", datagram));
        Assert.Throws<ArgumentException>(() => _connections.Adopt("", _peer));
        Assert.Null(_connections.Take("peer"));

        await _connection.DisposeAsync();
        Assert.Empty(_connections.All());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => _connection.ReadLineAsync().AsTask());
        Assert.Null(await _connection.SuspendAsync(Patience, CancellationToken.None));
    }

    private Task<int> SendAsync(string text) => _peer.SendAsync(Encoding.ASCII.GetBytes(text)).WaitAsync(TestTimeouts.Reload);
}
