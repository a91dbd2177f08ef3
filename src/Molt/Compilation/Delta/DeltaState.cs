using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Emit;

namespace Molt.Compilation.Delta;

/// <summary>
/// What a module's next body edit needs to be emitted as a delta: Roslyn's baseline (which
/// numbers the next delta's rows and heaps after the previous ones) and the merged image so far.
/// </summary>
/// <param name="Baseline">The baseline of the image: the first image's, then each delta's.</param>
/// <param name="Chain">The merged deltas.</param>
internal sealed record DeltaState(EmitBaseline Baseline, DeltaChain Chain)
{
    // Custom debug information kinds Roslyn reads back to keep local slots, lambdas and state machine states across edits.
    private static readonly Guid s_localSlotMap = new("755F52A8-91C5-45BE-B4B8-209571E552BD");
    private static readonly Guid s_lambdaMap = new("A643004C-0240-496F-A783-30D64F4979DE");
    private static readonly Guid s_stateMap = new("8B78CD68-2EDE-420B-980B-E15884B8AAA3");

    /// <summary>Starts from a fully compiled image, its PDB and the compilation that produced them.</summary>
    public static DeltaState Start(Microsoft.CodeAnalysis.Compilation compilation, byte[] image, byte[] pdb)
    {
        var pdbReader = MetadataReaderProvider.FromPortablePdbImage(ImmutableArray.Create(pdb)).GetMetadataReader();
        var peReader = new PEReader(ImmutableArray.Create(image));
        var metadata = peReader.GetMetadataReader();
        var baseline = EmitBaseline.CreateInitialBaseline(
            compilation,
            ModuleMetadata.CreateFromImage(image),
            method => EditAndContinueMethodDebugInformation.Create(
                Find(pdbReader, method, s_localSlotMap), Find(pdbReader, method, s_lambdaMap), Find(pdbReader, method, s_stateMap)),
            method => metadata.GetMethodDefinition(method).RelativeVirtualAddress is var rva and not 0
                ? peReader.GetMethodBody(rva).LocalSignature
                : default,
            hasPortableDebugInformation: true);
        return new DeltaState(baseline, DeltaChain.Start(image, pdb));
    }

    private static ImmutableArray<byte> Find(MetadataReader pdb, MethodDefinitionHandle method, Guid kind)
    {
        foreach (var handle in pdb.GetCustomDebugInformation(method))
        {
            var information = pdb.GetCustomDebugInformation(handle);
            if (pdb.GetGuid(information.Kind) == kind)
            {
                return pdb.GetBlobContent(information.Value);
            }
        }

        return default;
    }
}
