namespace Molt.Control.Tests;

/// <summary>
/// Every test that opens a TCP listener in this process is in this collection, so they run one at
/// a time: <see cref="TcpTests"/> reads the process's listening sockets from /proc before and after
/// starting a server, and another test's listener opened in between would be counted as the server's.
/// </summary>
[CollectionDefinition(Name)]
public sealed class TcpListenersCollection
{
    public const string Name = "TCP listeners";
}
