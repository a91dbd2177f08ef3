using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;

namespace Molt.Loading;

/// <summary>
/// Finds the members marked <c>[Export]</c> from the image's metadata (its custom attribute rows)
/// instead of asking reflection for every method's attributes: a module of thousands of types
/// is loaded in a few milliseconds, not tens. Members come in the order reflection gives them
/// (types in definition order, each type before its methods).
/// </summary>
internal static class ExportScan
{
    public static IEnumerable<MemberInfo> Find(byte[] image, Assembly assembly)
    {
        using var pe = new PEReader(ImmutableCollectionsMarshal.AsImmutableArray(image));
        var metadata = pe.GetMetadataReader();
        var found = new List<(int Type, int Method, EntityHandle Member)>();
        foreach (var handle in metadata.CustomAttributes)
        {
            var attribute = metadata.GetCustomAttribute(handle);
            if (!IsExport(metadata, attribute.Constructor))
            {
                continue;
            }

            if (attribute.Parent.Kind == HandleKind.TypeDefinition)
            {
                found.Add((MetadataTokens.GetRowNumber(attribute.Parent), 0, attribute.Parent));
            }
            else if (attribute.Parent.Kind == HandleKind.MethodDefinition)
            {
                var type = metadata.GetMethodDefinition((MethodDefinitionHandle)attribute.Parent).GetDeclaringType();
                found.Add((MetadataTokens.GetRowNumber(type), MetadataTokens.GetRowNumber(attribute.Parent), attribute.Parent));
            }
        }

        var module = assembly.ManifestModule;
        foreach (var (_, _, member) in found.OrderBy(f => f.Type).ThenBy(f => f.Method))
        {
            var token = MetadataTokens.GetToken(member);
            MemberInfo? resolved = member.Kind == HandleKind.TypeDefinition ? module.ResolveType(token) : module.ResolveMethod(token);

            // The name matched; reflection confirms it is Molt's attribute (a module could define its own Molt.ExportAttribute).
            if (resolved is not null and not ConstructorInfo && resolved.GetCustomAttribute<ExportAttribute>() is not null)
            {
                yield return resolved;
            }
        }
    }

    private static bool IsExport(MetadataReader metadata, EntityHandle constructor)
    {
        var type = constructor.Kind switch
        {
            HandleKind.MemberReference => metadata.GetMemberReference((MemberReferenceHandle)constructor).Parent,
            HandleKind.MethodDefinition => metadata.GetMethodDefinition((MethodDefinitionHandle)constructor).GetDeclaringType(),
            _ => default,
        };
        return type.Kind switch
        {
            HandleKind.TypeReference => metadata.GetTypeReference((TypeReferenceHandle)type) is var reference
                && metadata.StringComparer.Equals(reference.Name, nameof(ExportAttribute)) && metadata.StringComparer.Equals(reference.Namespace, "Molt"),
            HandleKind.TypeDefinition => metadata.GetTypeDefinition((TypeDefinitionHandle)type) is var definition
                && metadata.StringComparer.Equals(definition.Name, nameof(ExportAttribute)) && metadata.StringComparer.Equals(definition.Namespace, "Molt"),
            _ => false,
        };
    }
}
