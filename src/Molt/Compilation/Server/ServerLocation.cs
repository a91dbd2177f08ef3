using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Molt.Interop;

namespace Molt.Compilation.Server;

/// <summary>
/// Where the compile server's program is and which socket it listens on. The socket's name is
/// derived from the program file and the engine's build, so hosts of one Molt build share one
/// server and a host of another build never talks to a server that speaks differently. It lives in
/// the user's private socket directory (that of the control sockets): <c>$XDG_RUNTIME_DIR/molt</c>
/// when usable, otherwise <c>/tmp/molt-&lt;uid&gt;</c>.
/// </summary>
internal sealed record ServerLocation(string Program, string SocketPath)
{
    /// <summary>The server's file name, looked for beside the engine's assembly.</summary>
    public const string FileName = "Molt.CompileServer.dll";

    /// <summary>The environment variable that names the server's program when the options do not.</summary>
    public const string ProgramVariable = "MOLT_COMPILE_SERVER";

    private const int MaxSocketPathBytes = 107;

    /// <summary>The server's program and socket, or <see langword="null"/> when no server program is found.</summary>
    public static ServerLocation? Find(MoltOptions options)
    {
        var program = options.CompileServerPath ?? Environment.GetEnvironmentVariable(ProgramVariable)
            ?? new[] { Path.GetDirectoryName(typeof(ServerLocation).Assembly.Location), AppContext.BaseDirectory }
                .Where(d => !string.IsNullOrEmpty(d))
                .Select(d => Path.Combine(d!, FileName))
                .FirstOrDefault(File.Exists);
        if (program is null || !File.Exists(program))
        {
            return null;
        }

        program = Path.GetFullPath(program);
        var socket = options.CompileServerSocket ?? Path.Combine(DefaultDirectory(), $"compile-{Tag(program)}.sock");

        // sizeof(sockaddr_un.sun_path) is 108 with the NUL: a longer path could never be bound, and
        // every first compile would wait for a server that cannot start.
        return Encoding.UTF8.GetByteCount(socket) > MaxSocketPathBytes ? null : new ServerLocation(program, socket);
    }

    /// <summary>Hashes the program file's path, size and write time with the engine's and the compiler's builds.</summary>
    private static string Tag(string program)
    {
        var info = new FileInfo(program);
        var identity = string.Create(CultureInfo.InvariantCulture,
            $"{program}\0{info.Length}\0{info.LastWriteTimeUtc.Ticks}\0{typeof(ServerLocation).Assembly.ManifestModule.ModuleVersionId}\0{typeof(Microsoft.CodeAnalysis.Compilation).Assembly.ManifestModule.ModuleVersionId}");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)))[..16];
    }

    private static string DefaultDirectory()
    {
        var uid = UnixInterop.EffectiveUserId;
        var runtime = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
        try
        {
            if (!string.IsNullOrEmpty(runtime) && Path.IsPathFullyQualified(runtime)
                && UnixInterop.TryGetOwnerAndMode(Path.GetFullPath(runtime), out var owner, out var mode)
                && owner == uid && (mode & 0xF000) == 0x4000 && (mode & 0x12) == 0)
            {
                return Path.Combine(runtime, "molt");
            }
        }
        catch (IOException)
        {
            // Not usable: fall back below.
        }

        return Path.Combine("/tmp", string.Create(CultureInfo.InvariantCulture, $"molt-{uid}"));
    }
}
