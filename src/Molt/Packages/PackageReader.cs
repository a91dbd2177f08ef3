using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Molt.Compilation;

namespace Molt.Packages;

/// <summary>
/// Reads <c>[assembly: PackageReference("id", "version")]</c> from the syntax, as
/// <see cref="DependencyReader"/> reads <c>DependsOn</c>: the packages must be resolved before
/// the module can be compiled, so their id and version must be string literals.
/// </summary>
internal static partial class PackageReader
{
    private static readonly DiagnosticDescriptor BadReference = new(
        MoltDiagnosticIds.BadPackageReference, "Bad package reference", "PackageReference: {0}", "Molt", Microsoft.CodeAnalysis.DiagnosticSeverity.Error, true);

    /// <summary>Reads every package reference; what cannot be read becomes a diagnostic at the attribute.</summary>
    public static (ImmutableArray<PackageRequest> Packages, ImmutableArray<Diagnostic> Problems) FromSyntax(IEnumerable<SyntaxTree> trees)
    {
        var packages = new List<(PackageRequest Request, Location Location)>();
        var problems = ImmutableArray.CreateBuilder<Diagnostic>();
        foreach (var attribute in DependencyReader.AssemblyAttributes(trees, "PackageReference"))
        {
            var arguments = attribute.ArgumentList?.Arguments ?? default;
            if (arguments.Count != 2 || Literal(arguments[0]) is not { } id || Literal(arguments[1]) is not { } version)
            {
                problems.Add(Diagnostic.Create(BadReference, attribute.GetLocation(), "the package id and version must be two string literals, as in [assembly: PackageReference(\"Humanizer.Core\", \"2.14.1\")]"));
            }
            else if (!PackageId().IsMatch(id))
            {
                problems.Add(Diagnostic.Create(BadReference, attribute.GetLocation(), $"'{id}' is not a package id (letters, digits, '.', '_' and '-')"));
            }
            else if (!PackageVersion().IsMatch(version))
            {
                problems.Add(Diagnostic.Create(BadReference, attribute.GetLocation(), $"'{version}' is not a NuGet version or version range for '{id}'"));
            }
            else
            {
                packages.Add((new PackageRequest(id, version, SourceSpot.Of(attribute.GetLocation())), attribute.GetLocation()));
            }
        }

        foreach (var twice in packages.GroupBy(p => p.Request.Id, StringComparer.OrdinalIgnoreCase).Where(g => g.Select(p => p.Request.Version).Distinct(StringComparer.OrdinalIgnoreCase).Count() > 1))
        {
            var versions = string.Join(", ", twice.Select(p => p.Request.Version).Distinct(StringComparer.OrdinalIgnoreCase));
            problems.Add(Diagnostic.Create(BadReference, twice.Last().Location, $"'{twice.Key}' is referenced with different versions ({versions}); keep one"));
        }

        return ([.. packages.Select(p => p.Request)], problems.ToImmutable());
    }

    private static string? Literal(AttributeArgumentSyntax argument) =>
        argument.NameEquals is null && argument.Expression is LiteralExpressionSyntax literal && literal.IsKind(SyntaxKind.StringLiteralExpression)
            ? literal.Token.ValueText
            : null;

    // NuGet's id rule; the version is checked loosely (NuGet itself says what is wrong with it),
    // but only with characters that cannot break out of the restore project's XML.
    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.\-]{0,99}$")]
    private static partial Regex PackageId();

    [GeneratedRegex(@"^[0-9A-Za-z.\-+*\[\]\(\), ]{1,64}$")]
    private static partial Regex PackageVersion();
}
