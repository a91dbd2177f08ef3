using System.Text.Json.Serialization;

namespace Molt.Hosting.HotRestart;

/// <summary>The hand-over's serializer, source-generated like the control channel's.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(HandoverMessage))]
internal sealed partial class HandoverJsonContext : JsonSerializerContext;
