using System.Net;
using System.Net.Sockets;

namespace Molt.Control.Tests;

[Collection(TcpListenersCollection.Name)]
public sealed class DescriptorPassingTests
{
    [Fact]
    public void AListeningSocketSentOverAUnixSocketAcceptsInTheReceiverAfterTheSenderClosedIt()
    {
        var (sender, receiver) = ConnectedPair();
        using var s1 = sender;
        using var r1 = receiver;
        var original = Listen();
        var port = ((IPEndPoint)original.LocalEndPoint!).Port;

        DescriptorPassing.Send(sender, 42, [(int)original.Handle]);
        var received = DescriptorPassing.Receive(receiver, out var marker);
        original.Dispose();

        Assert.Equal(42, marker);
        var descriptor = Assert.Single(received);
        using var adopted = new Socket(new SafeSocketHandle(descriptor, ownsHandle: true));
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(IPAddress.Loopback, port);
        using var accepted = adopted.Accept();
        Assert.Equal(port, ((IPEndPoint)accepted.LocalEndPoint!).Port);
    }

    [Fact]
    public async Task DisposingOneCopyOfAListenerWhileItAcceptsLeavesTheOtherCopyListening()
    {
        // What a hot restart relies on: the old server closing its listener (a pending accept
        // and all) must not stop the new process's copy of the same socket.
        using var original = Listen();
        var port = ((IPEndPoint)original.LocalEndPoint!).Port;
        var copy = new Socket(new SafeSocketHandle(DescriptorPassing.Duplicate((int)original.Handle), ownsHandle: true));
        var pending = copy.AcceptAsync();
        copy.Dispose();
        await Assert.ThrowsAnyAsync<Exception>(async () => await pending.WaitAsync(TimeSpan.FromSeconds(10)));

        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(IPAddress.Loopback, port).WaitAsync(TimeSpan.FromSeconds(10));
        using var accepted = await original.AcceptAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(accepted.Connected);
    }

    [Fact]
    public void ReceivingFromAPeerThatClosedGivesNoDescriptors()
    {
        var (sender, receiver) = ConnectedPair();
        using var r1 = receiver;
        sender.Dispose();

        var received = DescriptorPassing.Receive(receiver, out var marker);

        Assert.Empty(received);
        Assert.Equal(-1, marker);
    }

    [Fact]
    public void SeveralDescriptorsArriveInTheOrderSent()
    {
        var (sender, receiver) = ConnectedPair();
        using var s1 = sender;
        using var r1 = receiver;
        using var first = Listen();
        using var second = Listen();

        DescriptorPassing.Send(sender, 1, [(int)first.Handle, (int)second.Handle]);
        var received = DescriptorPassing.Receive(receiver, out _);

        Assert.Equal(2, received.Length);
        using var a = new Socket(new SafeSocketHandle(received[0], ownsHandle: true));
        using var b = new Socket(new SafeSocketHandle(received[1], ownsHandle: true));
        Assert.Equal(first.LocalEndPoint, a.LocalEndPoint);
        Assert.Equal(second.LocalEndPoint, b.LocalEndPoint);
    }

    private static Socket Listen()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        socket.Listen(16);
        return socket;
    }

    private static (Socket Sender, Socket Receiver) ConnectedPair()
    {
        var path = Path.Combine(TempDirectory.Create("molt-fd-"), "s.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(1);
        var sender = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        sender.Connect(new UnixDomainSocketEndPoint(path));
        return (sender, listener.Accept());
    }
}
