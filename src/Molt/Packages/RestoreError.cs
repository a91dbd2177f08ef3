namespace Molt.Packages;

/// <summary>An error of a package restore, with the package it is about when the restore says so.</summary>
/// <param name="PackageId">The package it concerns (NuGet's <c>libraryId</c>), or <see langword="null"/>.</param>
/// <param name="Message">The restore's own text (bounded).</param>
internal sealed record RestoreError(string? PackageId, string Message);
