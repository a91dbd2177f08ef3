using System.Text.Json.Serialization;

namespace Molt.Control;

/// <summary>
/// The source-generated serializer of the control channel's results: no reflection, so it works
/// trimmed and AOT-compiled. Internal because its generated members would change with the
/// generator; <see cref="ControlJson"/> is its public face.
/// </summary>
/// <remarks>
/// Strict on what it reads, so a malformed reply is reported instead of shown with blanks: every
/// member of the records is <see langword="required"/>, and a <see langword="null"/> where the record
/// does not allow one fails. Members it does not know are skipped, so a client reads a newer
/// server's replies.
/// </remarks>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(ReloadReply))]
[JsonSerializable(typeof(StatusReply))]
[JsonSerializable(typeof(VerifyReply))]
[JsonSerializable(typeof(SnapshotReply))]
[JsonSerializable(typeof(StopReply))]
[JsonSerializable(typeof(RestartReply))]
[JsonSerializable(typeof(CheckReply))]
internal sealed partial class ControlJsonContext : JsonSerializerContext;
