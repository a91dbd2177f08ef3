using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;

namespace Molt.Loading;

/// <summary>
/// Which types of an image may implement <see cref="IModule"/>, from its metadata: a type may when
/// its base type or one of its interfaces may, through the module's own types, up to a type of
/// another assembly. A type of the framework (<c>System.*</c>, <c>Microsoft.*</c>,
/// <c>netstandard</c>, <c>mscorlib</c>) never does: those assemblies do not reference Molt. Any other
/// assembly's type (Molt's own <c>IModule</c>, a dependency module's, a package's) may, and
/// reflection decides. Only concrete, non-generic classes are listed, as only those can be the module class.
/// </summary>
internal sealed class ModuleClassScan(MetadataReader metadata)
{
    private readonly Dictionary<TypeDefinitionHandle, bool> _known = [];

    public List<int> Find()
    {
        var found = new List<int>();
        foreach (var handle in metadata.TypeDefinitions)
        {
            var type = metadata.GetTypeDefinition(handle);
            if ((type.Attributes & (TypeAttributes.Interface | TypeAttributes.Abstract)) == 0 && type.GetGenericParameters().Count == 0 && MayImplement(handle))
            {
                found.Add(MetadataTokens.GetToken(handle));
            }
        }

        return found;
    }

    private bool MayImplement(TypeDefinitionHandle handle)
    {
        if (_known.TryGetValue(handle, out var known))
        {
            return known;
        }

        // Marked first: a malformed image whose types inherit in a cycle ends here instead of looping.
        _known[handle] = false;
        var type = metadata.GetTypeDefinition(handle);
        var may = (!type.BaseType.IsNil && May(type.BaseType))
            || type.GetInterfaceImplementations().Any(i => May(metadata.GetInterfaceImplementation(i).Interface));
        _known[handle] = may;
        return may;
    }

    private bool May(EntityHandle type) => type.Kind switch
    {
        HandleKind.TypeDefinition => MayImplement((TypeDefinitionHandle)type),
        HandleKind.TypeReference => !IsFramework((TypeReferenceHandle)type),
        HandleKind.TypeSpecification => GenericDefinition((TypeSpecificationHandle)type) is not { } generic || May(generic),
        _ => true,
    };

    private bool IsFramework(TypeReferenceHandle handle)
    {
        var reference = metadata.GetTypeReference(handle);
        var hops = 0;
        while (reference.ResolutionScope.Kind == HandleKind.TypeReference && hops++ < 64)
        {
            // A nested type: its assembly is its outermost type's.
            reference = metadata.GetTypeReference((TypeReferenceHandle)reference.ResolutionScope);
        }

        if (reference.ResolutionScope.Kind != HandleKind.AssemblyReference)
        {
            return false;
        }

        var name = metadata.GetString(metadata.GetAssemblyReference((AssemblyReferenceHandle)reference.ResolutionScope).Name);
        return name is "System" or "mscorlib" or "netstandard"
            || name.StartsWith("System.", StringComparison.Ordinal)
            || name.StartsWith("Microsoft.", StringComparison.Ordinal);
    }

    /// <summary>The generic type of an instantiation (<c>IFoo&lt;int&gt;</c> → <c>IFoo`1</c>); <see langword="null"/> for any other specification.</summary>
    private EntityHandle? GenericDefinition(TypeSpecificationHandle handle)
    {
        var blob = metadata.GetBlobReader(metadata.GetTypeSpecification(handle).Signature);
        if (blob.ReadSignatureTypeCode() != SignatureTypeCode.GenericTypeInstance)
        {
            return null;
        }

        // CLASS or VALUETYPE, then the generic type.
        return blob.ReadSignatureTypeCode() == SignatureTypeCode.TypeHandle ? blob.ReadTypeHandle() : null;
    }
}
