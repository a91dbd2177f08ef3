using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Molt.Control;

/// <summary>Who is on the other end of a Unix socket, as the kernel vouches (<c>SO_PEERCRED</c>).</summary>
internal readonly record struct PeerCredentials(int ProcessId, uint UserId, uint GroupId)
{
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;

    /// <summary>Reads <c>struct ucred { int pid; uid_t uid; gid_t gid; }</c> from a connected socket.</summary>
    /// <exception cref="SocketException">The option cannot be read.</exception>
    public static PeerCredentials Read(Socket socket)
    {
        Span<byte> buffer = stackalloc byte[12];
        var length = socket.GetRawSocketOption(SolSocket, SoPeerCred, buffer);
        if (length < buffer.Length)
        {
            throw new SocketException((int)SocketError.ProtocolOption);
        }

        return new PeerCredentials(
            MemoryMarshal.Read<int>(buffer),
            MemoryMarshal.Read<uint>(buffer[4..]),
            MemoryMarshal.Read<uint>(buffer[8..]));
    }
}
