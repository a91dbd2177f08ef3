using Molt.Compilation;

namespace Molt.Packages;

/// <summary>One package a module asks for: declared by its own <c>[assembly: PackageReference]</c> (with where), or inherited from a module it depends on.</summary>
/// <param name="Id">The package id, as written.</param>
/// <param name="Version">The version, in NuGet's syntax.</param>
/// <param name="At">Where the attribute is, or <see langword="null"/> for an inherited one.</param>
internal sealed record PackageRequest(string Id, string Version, SourceSpot? At = null);
