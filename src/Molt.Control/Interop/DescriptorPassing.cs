using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Molt.Control;

/// <summary>
/// Passes open file descriptors between processes over a connected Unix socket (<c>SCM_RIGHTS</c>):
/// the receiver gets new descriptors to the same open sockets, which is how a hot restart hands its
/// listening sockets to the process that replaces it. .NET has no API for this on Unix.
/// </summary>
/// <remarks>
/// Linux on 64-bit only: the layouts of <c>struct msghdr</c> (56 bytes) and <c>struct cmsghdr</c>
/// (16 bytes, then the data) below are those of LP64 Linux (glibc and musl agree); macOS differs.
/// One byte of ordinary data travels with the descriptors, because a stream socket delivers
/// ancillary data only with data; the receiver reads exactly that byte, so nothing that follows it
/// on the stream can be consumed by a read that drops descriptors.
/// </remarks>
internal static unsafe partial class DescriptorPassing
{
    /// <summary>The most descriptors one message carries.</summary>
    public const int MaxDescriptors = 64;

    private const int SolSocket = 1;
    private const int ScmRights = 1;
    private const int MsgCmsgCloexec = 0x40000000;
    private const int MsghdrSize = 56;
    private const int CmsghdrSize = 16;
    private const int EINTR = 4;
    private const int EAGAIN = 11;

    /// <summary>Sends one byte and <paramref name="descriptors"/> (which stay open here too).</summary>
    /// <exception cref="ArgumentException">More than <see cref="MaxDescriptors"/> descriptors.</exception>
    /// <exception cref="SocketException">sendmsg failed.</exception>
    public static void Send(Socket socket, byte marker, ReadOnlySpan<int> descriptors)
    {
        EnsureSupported();
        ArgumentOutOfRangeException.ThrowIfGreaterThan(descriptors.Length, MaxDescriptors);
        var control = stackalloc byte[ControlSpace(MaxDescriptors)];
        var controlLength = ControlSpace(descriptors.Length);
        new Span<byte>(control, controlLength).Clear();
        *(ulong*)control = (ulong)(CmsghdrSize + (descriptors.Length * sizeof(int)));
        *(int*)(control + 8) = SolSocket;
        *(int*)(control + 12) = ScmRights;
        descriptors.CopyTo(new Span<int>(control + CmsghdrSize, descriptors.Length));

        var data = marker;
        var iov = stackalloc nint[2] { (nint)(&data), 1 };
        var header = stackalloc byte[MsghdrSize];
        new Span<byte>(header, MsghdrSize).Clear();
        *(nint*)(header + 16) = (nint)iov;
        *(ulong*)(header + 24) = 1;
        *(nint*)(header + 32) = descriptors.Length == 0 ? 0 : (nint)control;
        *(ulong*)(header + 40) = descriptors.Length == 0 ? 0 : (ulong)controlLength;
        Transfer(socket, header, send: true);
    }

    /// <summary>
    /// Receives the byte and the descriptors sent with it (close-on-exec set), blocking until they come.
    /// Returns an empty array and <paramref name="marker"/> <c>-1</c> when the peer closed first.
    /// </summary>
    /// <exception cref="SocketException">recvmsg failed.</exception>
    /// <exception cref="InvalidOperationException">The descriptors were truncated (more than <see cref="MaxDescriptors"/>).</exception>
    public static int[] Receive(Socket socket, out int marker)
    {
        EnsureSupported();
        var controlLength = ControlSpace(MaxDescriptors);
        var control = stackalloc byte[controlLength];
        new Span<byte>(control, controlLength).Clear();
        byte data = 0;
        var iov = stackalloc nint[2] { (nint)(&data), 1 };
        var header = stackalloc byte[MsghdrSize];
        new Span<byte>(header, MsghdrSize).Clear();
        *(nint*)(header + 16) = (nint)iov;
        *(ulong*)(header + 24) = 1;
        *(nint*)(header + 32) = (nint)control;
        *(ulong*)(header + 40) = (ulong)controlLength;
        var received = Transfer(socket, header, send: false);
        marker = received == 0 ? -1 : data;
        const int MsgCtrunc = 0x8;
        if ((*(int*)(header + 48) & MsgCtrunc) != 0)
        {
            throw new InvalidOperationException($"More than {MaxDescriptors} descriptors were sent; the rest were dropped by the kernel.");
        }

        // The kernel fills msg_controllen with what it wrote; one SCM_RIGHTS message is all we send.
        if (*(ulong*)(header + 40) < CmsghdrSize || *(int*)(control + 8) != SolSocket || *(int*)(control + 12) != ScmRights)
        {
            return [];
        }

        var count = (int)((*(ulong*)control - CmsghdrSize) / sizeof(int));
        return new Span<int>(control + CmsghdrSize, count).ToArray();
    }

    /// <summary>Duplicates a descriptor (close-on-exec set), so two owners can close theirs independently.</summary>
    /// <exception cref="SocketException">fcntl failed.</exception>
    public static int Duplicate(int descriptor)
    {
        const int FDupfdCloexec = 1030;
        while (true)
        {
            var duplicate = fcntl(descriptor, FDupfdCloexec, 0);
            if (duplicate >= 0)
            {
                return duplicate;
            }

            ThrowUnlessInterrupted("fcntl");
        }
    }

    private static int ControlSpace(int descriptors) => CmsghdrSize + (((descriptors * sizeof(int)) + 7) & ~7);

    private static nint Transfer(Socket socket, byte* header, bool send)
    {
        while (true)
        {
            var fd = (int)socket.SafeHandle.DangerousGetHandle();
            var result = send ? sendmsg(fd, header, 0) : recvmsg(fd, header, MsgCmsgCloexec);
            if (result >= 0)
            {
                return result;
            }

            // .NET puts a socket in non-blocking mode once it has been used asynchronously: wait for it.
            if (Marshal.GetLastPInvokeError() is EAGAIN)
            {
                socket.Poll(-1, send ? SelectMode.SelectWrite : SelectMode.SelectRead);
                continue;
            }

            ThrowUnlessInterrupted(send ? "sendmsg" : "recvmsg");
        }
    }

    private static void ThrowUnlessInterrupted(string call)
    {
        var errno = Marshal.GetLastPInvokeError();
        if (errno != EINTR)
        {
            throw new SocketException(errno, $"{call} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).");
        }
    }

    private static void EnsureSupported()
    {
        if (!OperatingSystem.IsLinux() || IntPtr.Size != 8)
        {
            throw new PlatformNotSupportedException("Passing sockets between processes is supported on 64-bit Linux only.");
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint sendmsg(int sockfd, byte* msg, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint recvmsg(int sockfd, byte* msg, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fcntl(int fd, int cmd, int arg);
}
