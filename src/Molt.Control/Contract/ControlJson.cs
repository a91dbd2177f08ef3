using System.Text.Json.Serialization.Metadata;

namespace Molt.Control;

/// <summary>
/// The serialization of each command's result, for <see cref="ControlReply.ReadResult{T}"/> and for
/// anything that writes or reads the records itself (<c>JsonSerializer.Serialize(reply, ControlJson.ReloadReply)</c>).
/// Member names are camelCase; a missing member or a <see langword="null"/> where the record allows
/// none fails to read; unknown members are skipped.
/// </summary>
public static class ControlJson
{
    /// <summary>Gets the serialization of <c>reload</c>'s result.</summary>
    public static JsonTypeInfo<ReloadReply> ReloadReply => ControlJsonContext.Default.ReloadReply;

    /// <summary>Gets the serialization of <c>status</c>'s result.</summary>
    public static JsonTypeInfo<StatusReply> StatusReply => ControlJsonContext.Default.StatusReply;

    /// <summary>Gets the serialization of <c>verify</c>'s result.</summary>
    public static JsonTypeInfo<VerifyReply> VerifyReply => ControlJsonContext.Default.VerifyReply;

    /// <summary>Gets the serialization of <c>snapshot</c>'s result.</summary>
    public static JsonTypeInfo<SnapshotReply> SnapshotReply => ControlJsonContext.Default.SnapshotReply;

    /// <summary>Gets the serialization of <c>stop</c>'s result.</summary>
    public static JsonTypeInfo<StopReply> StopReply => ControlJsonContext.Default.StopReply;

    /// <summary>Gets the serialization of <c>restart</c>'s result.</summary>
    public static JsonTypeInfo<RestartReply> RestartReply => ControlJsonContext.Default.RestartReply;

    /// <summary>Gets the serialization of what <c>molt check --json</c> prints.</summary>
    public static JsonTypeInfo<CheckReply> CheckReply => ControlJsonContext.Default.CheckReply;
}
