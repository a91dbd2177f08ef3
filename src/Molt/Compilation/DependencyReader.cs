using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Molt.Compilation;

/// <summary>Finds the modules a module depends on, before it is compiled.</summary>
internal static class DependencyReader
{
    /// <summary>
    /// Reads <c>[assembly: DependsOn("name")]</c> from the syntax. Syntax, not semantics: the
    /// dependencies must be known to compile the module in the first place.
    /// </summary>
    public static ImmutableArray<(string Module, Location Location)> FromSyntax(IEnumerable<SyntaxTree> trees)
    {
        var result = ImmutableArray.CreateBuilder<(string, Location)>();
        foreach (var attribute in AssemblyAttributes(trees, "DependsOn"))
        {
            if (attribute.ArgumentList?.Arguments.FirstOrDefault()?.Expression is LiteralExpressionSyntax literal
                && literal.IsKind(SyntaxKind.StringLiteralExpression))
            {
                result.Add((literal.Token.ValueText, attribute.GetLocation()));
            }
        }

        return result.ToImmutable();
    }

    /// <summary>The assembly-level attributes named <paramref name="name"/> (or <paramref name="name"/><c>Attribute</c>, qualified or not).</summary>
    public static IEnumerable<AttributeSyntax> AssemblyAttributes(IEnumerable<SyntaxTree> trees, string name)
    {
        foreach (var tree in trees)
        {
            var root = (CompilationUnitSyntax)tree.GetRoot();
            foreach (var list in root.AttributeLists.Where(l => l.Target?.Identifier.Text == "assembly"))
            {
                foreach (var attribute in list.Attributes)
                {
                    var simple = attribute.Name switch
                    {
                        QualifiedNameSyntax q => q.Right.Identifier.Text,
                        AliasQualifiedNameSyntax a => a.Name.Identifier.Text,
                        SimpleNameSyntax s => s.Identifier.Text,
                        _ => null,
                    };
                    if (simple == name || simple == name + "Attribute")
                    {
                        yield return attribute;
                    }
                }
            }
        }
    }

    /// <summary>Reads a prebuilt assembly's name and the names of the assemblies it references.</summary>
    /// <exception cref="BadImageFormatException">The bytes are not a .NET assembly.</exception>
    public static (string Name, ImmutableArray<string> References) FromImage(byte[] image)
    {
        using var pe = new PEReader(ImmutableArray.Create(image));
        if (!pe.HasMetadata)
        {
            throw new BadImageFormatException("The file has no .NET metadata.");
        }

        var reader = pe.GetMetadataReader();
        if (!reader.IsAssembly)
        {
            throw new BadImageFormatException("The file is a .NET module, not an assembly.");
        }

        var name = reader.GetString(reader.GetAssemblyDefinition().Name);
        var references = reader.AssemblyReferences.Select(h => reader.GetString(reader.GetAssemblyReference(h).Name)).ToImmutableArray();
        return (name, references);
    }
}
