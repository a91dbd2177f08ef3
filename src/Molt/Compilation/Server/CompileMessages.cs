using Microsoft.CodeAnalysis;

namespace Molt.Compilation.Server;

/// <summary>A reference the host compiles against, with the size and write time it saw: the server refuses a file that differs.</summary>
internal readonly record struct ReferenceStamp(string Path, long Length, long WriteTicks)
{
    public static ReferenceStamp Of(string path)
    {
        var info = new FileInfo(path);
        return new ReferenceStamp(path, info.Exists ? info.Length : -1, info.Exists ? info.LastWriteTimeUtc.Ticks : 0);
    }
}

/// <summary>The options of a module compile that the server must apply as the host would.</summary>
internal readonly record struct CompileSettings(OptimizationLevel OptimizationLevel, bool ImplicitUsings, bool AllowProcessExit, bool PartialCompiles);

/// <summary>
/// A compile request as sent: the module's files as read (the server parses and rewrites them with
/// the engine's own code), the references' paths and the images of the modules it depends on.
/// </summary>
internal sealed record ServerRequest(
    string Module,
    string SourcePath,
    string AssemblyName,
    CompileSettings Settings,
    bool HasDependents)
{
    public required IReadOnlyList<(string Path, byte[] Content)> Files { get; init; }

    public required IReadOnlyList<ReferenceStamp> References { get; init; }

    public required IReadOnlyList<byte[]> DependencyImages { get; init; }

    /// <summary>
    /// Gets a value indicating whether the server only reads the module's <see cref="ModuleFacts"/>
    /// (parses, compiles nothing): the host plans a reload without parsing.
    /// </summary>
    public bool ScanOnly { get; init; }

    /// <summary>
    /// Gets how often the server says it is still working on this request: the host gives up on a
    /// server that stays silent for its whole timeout, not on a compile that merely takes long.
    /// </summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);
}

/// <summary>
/// The server's answer: the compile's outcome (errors and warnings, and the image when it
/// succeeded), or <see cref="Refusal"/> when the server could not compile (the host then compiles).
/// </summary>
internal sealed record ServerReply(string? Refusal, bool Success, IReadOnlyList<ModuleDiagnostic> Diagnostics)
{
    public byte[]? Image { get; init; }

    public byte[]? Pdb { get; init; }

    public string? ApiHash { get; init; }

    /// <summary>Gets the module version id of the image a body edit's delta was merged into; <see langword="null"/> when compiled whole.</summary>
    public Guid? DeltaBase { get; init; }

    /// <summary>Gets why a body edit was compiled whole rather than merged as a delta, when one was tried.</summary>
    public string? DeltaRefused { get; init; }

    /// <summary>Gets the module's facts, the answer to a <see cref="ServerRequest.ScanOnly"/> request.</summary>
    public ModuleFacts? Facts { get; init; }

    public static ServerReply Refused(string reason) => new(reason, false, []);
}

/// <summary>Encodes and decodes <see cref="ServerRequest"/> and <see cref="ServerReply"/>; decoding is strict.</summary>
internal static class CompileMessages
{
    /// <summary>"MLTC", then the protocol version: a server of another version refuses instead of misreading.</summary>
    private const int Magic = 0x43544C4D;
    public const int Version = 5;
    private const byte HeartbeatKind = 0;
    private const byte ReplyKind = 1;
    private const int MaxHeartbeatMilliseconds = 60_000;

    /// <summary>The server's "still compiling" message, sent between the request and the reply.</summary>
    public static readonly byte[] Heartbeat = new MessageWriter().Int32(Magic).Int32(Version).Byte(HeartbeatKind).ToArray();

    /// <summary>Whether a message from the server is a <see cref="Heartbeat"/> (anything else must decode as a reply).</summary>
    public static bool IsHeartbeat(byte[] message) => message.AsSpan().SequenceEqual(Heartbeat);

    public static byte[] Encode(ServerRequest request)
    {
        var (settings, w) = (request.Settings, new MessageWriter().Int32(Magic).Int32(Version));
        w.String(request.Module).String(request.SourcePath).String(request.AssemblyName)
            .Byte((byte)settings.OptimizationLevel).Bool(settings.ImplicitUsings).Bool(settings.AllowProcessExit).Bool(settings.PartialCompiles).Bool(request.HasDependents).Bool(request.ScanOnly)
            .Int32((int)Math.Clamp(request.HeartbeatInterval.TotalMilliseconds, 1, MaxHeartbeatMilliseconds));
        w.Int32(request.Files.Count);
        foreach (var (path, content) in request.Files)
        {
            w.String(path).Bytes(content);
        }

        w.Int32(request.References.Count);
        foreach (var reference in request.References)
        {
            w.String(reference.Path).Int64(reference.Length).Int64(reference.WriteTicks);
        }

        w.Int32(request.DependencyImages.Count);
        foreach (var image in request.DependencyImages)
        {
            w.Bytes(image);
        }

        return w.ToArray();
    }

    /// <exception cref="CompileProtocolException">The message is malformed or of another protocol version.</exception>
    public static ServerRequest DecodeRequest(byte[] message)
    {
        var r = Open(message);
        var (module, sourcePath, assemblyName) = (r.ReadString(), r.ReadString(), r.ReadString());
        var level = r.ReadByte() switch
        {
            (byte)OptimizationLevel.Debug => OptimizationLevel.Debug,
            (byte)OptimizationLevel.Release => OptimizationLevel.Release,
            var b => throw new CompileProtocolException($"Malformed message: {b} is not an optimisation level."),
        };
        var settings = new CompileSettings(level, r.ReadBool(), r.ReadBool(), r.ReadBool());
        var (hasDependents, scanOnly) = (r.ReadBool(), r.ReadBool());
        var heartbeat = r.ReadInt32();
        if (heartbeat is < 1 or > MaxHeartbeatMilliseconds)
        {
            throw new CompileProtocolException($"Malformed message: a heartbeat interval of {heartbeat} ms (1 to {MaxHeartbeatMilliseconds} expected).");
        }

        var files = Enumerable.Range(0, r.ReadCount(8)).Select(_ => (r.ReadString(), r.ReadBytes())).ToArray();
        var references = Enumerable.Range(0, r.ReadCount(20)).Select(_ => new ReferenceStamp(r.ReadString(), r.ReadInt64(), r.ReadInt64())).ToArray();
        var images = Enumerable.Range(0, r.ReadCount(4)).Select(_ => r.ReadBytes()).ToArray();
        r.End();
        return new ServerRequest(module, sourcePath, assemblyName, settings, hasDependents)
        {
            Files = files,
            References = references,
            DependencyImages = images,
            HeartbeatInterval = TimeSpan.FromMilliseconds(heartbeat),
            ScanOnly = scanOnly,
        };
    }

    public static byte[] Encode(ServerReply reply)
    {
        var w = new MessageWriter().Int32(Magic).Int32(Version).Byte(ReplyKind).NullableString(reply.Refusal).Bool(reply.Success).Diagnostics(reply.Diagnostics);
        if (reply.Success)
        {
            // A compile's success carries the image, a scan's the facts.
            w.Bool(reply.Facts is not null);
            _ = reply.Facts is { } facts ? w.Facts(facts) : w.Bytes(reply.Image).Bytes(reply.Pdb).NullableString(reply.ApiHash).NullableString(reply.DeltaBase?.ToString("N")).NullableString(reply.DeltaRefused);
        }

        return w.ToArray();
    }

    /// <summary>Decodes a reply; its diagnostics are given <paramref name="module"/>'s name. A success must carry what was asked: the image of a compile, the facts of a scan.</summary>
    /// <exception cref="CompileProtocolException">The message is malformed or of another protocol version.</exception>
    public static ServerReply DecodeReply(byte[] message, string module, bool scan = false)
    {
        var r = Open(message);
        if (r.ReadByte() != ReplyKind)
        {
            throw new CompileProtocolException("Malformed reply: neither a heartbeat nor a reply.");
        }

        var (refusal, success) = (r.ReadNullableString(), r.ReadBool());
        var reply = new ServerReply(refusal, success, r.ReadDiagnostics(module));
        if (success)
        {
            reply = r.ReadBool()
                ? reply with { Facts = r.ReadFacts(module) }
                : reply with { Image = r.ReadBytes(), Pdb = r.ReadBytes(), ApiHash = r.ReadNullableString(), DeltaBase = ReadGuid(r), DeltaRefused = r.ReadNullableString() };
        }

        r.End();
        return success && (refusal is not null || (scan ? reply.Facts is null : reply.Image is not { Length: > 0 }))
            ? throw new CompileProtocolException($"Malformed reply: a success without {(scan ? "the module's facts" : "an image")}, or with a refusal.")
            : reply;
    }

    private static Guid? ReadGuid(MessageReader r) =>
        r.ReadNullableString() is not { } text ? null
        : Guid.TryParseExact(text, "N", out var guid) ? guid
        : throw new CompileProtocolException("Malformed reply: the delta's base is not a module version id.");

    private static MessageReader Open(byte[] message)
    {
        var r = new MessageReader(message);
        if (message.Length < 8 || r.ReadInt32() != Magic)
        {
            throw new CompileProtocolException("Malformed message: not a Molt compile server message.");
        }

        var version = r.ReadInt32();
        return version == Version ? r : throw new CompileProtocolException($"The compile server speaks protocol version {version}, this engine {Version}.");
    }
}
