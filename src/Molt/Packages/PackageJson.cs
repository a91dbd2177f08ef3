using System.Text.Json.Serialization;

namespace Molt.Packages;

/// <summary>
/// The kept resolutions' JSON, generated at build time: a start whose packages are all kept reads
/// one file, and reflection-based serialization would cost it tens of milliseconds of warm-up.
/// </summary>
[JsonSerializable(typeof(ResolvedPackages))]
internal sealed partial class PackageJson : JsonSerializerContext;
