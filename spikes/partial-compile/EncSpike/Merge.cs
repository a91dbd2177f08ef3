using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;

namespace EncSpike;

/// <summary>
/// Proof of the core trick of design 2 on the simplest case: previous image + EnC delta that only updates
/// method bodies (and adds TypeRefs/MemberRefs/TypeSpecs/MethodSpecs/StandAloneSigs/user strings) -> a new
/// standalone PE (no PDB in this spike), loaded in a fresh ALC and called.
/// Row ids are preserved (every base row is copied in order, delta rows are appended), and so are user-string
/// offsets (base strings added in heap order, then the delta's): IL needs no token rewriting.
/// </summary>
internal static unsafe class Merge
{
    public static void Run(int files)
    {
        var c0 = Common.Program(files, OptimizationLevel.Release);
        var (pe0, pdb0) = Common.Emit(c0);
        var tree0 = c0.SyntaxTrees[7];
        var text0 = tree0.GetText().ToString();
        var text1 = text0.Replace("return n + ", "n += \"merged!\".Length + Environment.ProcessorCount * 0 + new List<string> { \"x\" }.Count; return 1000 + n + ");
        var tree1 = Common.Tree(text1, tree0.FilePath);
        var c1 = c0.ReplaceSyntaxTree(tree0, tree1);
        var edits = Delta.ChangedMembers(c0, tree0, c1, tree1);
        using var md = new MemoryStream();
        using var il = new MemoryStream();
        using var dpdb = new MemoryStream();
        var r = c1.EmitDifference(Common.Baseline(c0, pe0, pdb0), edits, _ => false, md, il, dpdb);
        if (!r.Success) throw new Exception(string.Join('\n', r.Diagnostics));
        Delta.Describe(md.ToArray(), pe0);

        byte[] merged = null;
        var ms = Common.Ms(() => merged = Apply(pe0, md.ToArray(), il.ToArray()));
        Console.WriteLine($"merged image: {merged.Length} bytes in {ms:0.0} ms (base image {pe0.Length})");
        var warm = new List<double>();
        for (var i = 0; i < 5; i++) { warm.Add(Common.Ms(() => merged = Apply(pe0, md.ToArray(), il.ToArray()))); }
        Console.WriteLine($"merge, warm: {Common.Stats(warm)}");

        var (pe1, _) = Common.Emit(c1);
        var a = new AssemblyLoadContext("merged", true).LoadFromStream(new MemoryStream(merged));
        var b = new AssemblyLoadContext("full", true).LoadFromStream(new MemoryStream(pe1));
        var same = 0;
        for (var i = 0; i < files; i++)
        {
            var id = i.ToString("00");
            int Call(Assembly asm) => (int)asm.GetType($"App.Export{id}")!.GetMethod("Work")!.Invoke(null, [20])!;
            var (x, y) = (Call(a), Call(b));
            if (x == y) same++;
            else Console.WriteLine($"  Work{id}: merged {x} vs full recompile {y}");
            if (i == 7) Console.WriteLine($"  Work07(20): merged image {x}, full recompile {y}, base would be {x - 1000 - 7 - 1}");
        }

        Console.WriteLine($"  {same}/{files} exports return the same as the full recompile");
        // Is the edited method's IL the same as the full recompile's (tokens aside)?
        static (int Size, int MaxStack, string Code) Body(byte[] image)
        {
            using var per = new PEReader(ImmutableArray.Create(image));
            var r = per.GetMetadataReader();
            var h = r.MethodDefinitions.First(x => r.GetString(r.GetMethodDefinition(x).Name) == "Work" && r.GetString(r.GetTypeDefinition(r.GetMethodDefinition(x).GetDeclaringType()).Name) == "Export07");
            var b = per.GetMethodBody(r.GetMethodDefinition(h).RelativeVirtualAddress);
            var il = b.GetILBytes();
            return (il.Length, b.MaxStack, Convert.ToHexString(il));
        }
        var (bm, bf) = (Body(merged), Body(pe1));
        Console.WriteLine($"  edited method IL: merged {bm.Size} bytes maxstack {bm.MaxStack}; full recompile {bf.Size} bytes maxstack {bf.MaxStack}; identical bytes: {bm.Code == bf.Code}");
        if (bm.Code != bf.Code) Console.WriteLine($"    merged {bm.Code}\n    full   {bf.Code}");
        Console.WriteLine($"  types: merged {a.GetTypes().Length}, full {b.GetTypes().Length}");
    }

    public static byte[] Apply(byte[] basePe, byte[] deltaMd, byte[] deltaIl)
    {
        using var pe = new PEReader(ImmutableArray.Create(basePe));
        var m = pe.GetMetadataReader();
        fixed (byte* dp = deltaMd)
        fixed (byte* ip = deltaIl)
        {
            var d = new MetadataReader(dp, deltaMd.Length);
            var o = new MetadataBuilder();
            var ilOut = new BlobBuilder();
            int bStr = m.GetHeapSize(HeapIndex.String), bBlob = m.GetHeapSize(HeapIndex.Blob);

            // Handles from the delta point into the aggregate heaps.
            StringHandle DS(StringHandle h) => o.GetOrAddString(MetadataTokens.GetHeapOffset(h) >= bStr ? d.GetString(MetadataTokens.StringHandle(MetadataTokens.GetHeapOffset(h) - bStr)) : m.GetString(h));
            BlobHandle DB(BlobHandle h) => o.GetOrAddBlob(MetadataTokens.GetHeapOffset(h) >= bBlob ? d.GetBlobBytes(MetadataTokens.BlobHandle(MetadataTokens.GetHeapOffset(h) - bBlob)) : m.GetBlobBytes(h));
            StringHandle S(StringHandle h) => h.IsNil ? default : o.GetOrAddString(m.GetString(h));
            BlobHandle B(BlobHandle h) => h.IsNil ? default : o.GetOrAddBlob(m.GetBlobBytes(h));

            foreach (var t in new[] { TableIndex.FieldRva, TableIndex.ModuleRef, TableIndex.ImplMap, TableIndex.FieldMarshal, TableIndex.DeclSecurity, TableIndex.ExportedType, TableIndex.ManifestResource, TableIndex.File })
                if (m.GetTableRowCount(t) > 0) throw new NotSupportedException($"spike does not copy {t}");

            // Which rows the delta touches (EncMap gives real row ids in the aggregate numbering).
            var map = d.GetEditAndContinueMapEntries().ToList();
            var deltaRow = new Dictionary<int, int>(); // real token -> row in delta table
            foreach (var g in map.GroupBy(h => MetadataTokens.GetToken(h) >> 24))
            {
                var k = 0;
                foreach (var h in g) deltaRow[MetadataTokens.GetToken(h)] = ++k;
            }

            foreach (var (table, kind) in new[] { (TableIndex.TypeDef, "add"), (TableIndex.Field, "add"), (TableIndex.Property, "add"), (TableIndex.Event, "add"), (TableIndex.MethodSemantics, "any"), (TableIndex.MethodImpl, "any"), (TableIndex.GenericParam, "any"), (TableIndex.NestedClass, "any"), (TableIndex.InterfaceImpl, "any") })
                if (d.GetTableRowCount(table) > 0) throw new NotSupportedException($"spike merges body-only deltas; this one has {table} rows");
            if (d.GetTableRowCount(TableIndex.MethodDef) > 0 && d.MethodDefinitions.Any(h => !deltaRow.Keys.Where(t => t >> 24 == 0x06).Any(t => (t & 0xFFFFFF) <= m.GetTableRowCount(TableIndex.MethodDef))))
                throw new NotSupportedException("added methods");

            // User strings: base heap in order, then the delta's: offsets come out identical, so ldstr tokens stay valid.
            static int UsSize(string x) { var n = (2 * x.Length) + 1; return (n < 0x80 ? 1 : n < 0x4000 ? 2 : 4) + n; }
            var usNext = 1;
            for (var h = MetadataTokens.UserStringHandle(1); MetadataTokens.GetHeapOffset(h) < m.GetHeapSize(HeapIndex.UserString) && m.GetUserString(h).Length > 0; h = m.GetNextHandle(h))
            {
                var x = m.GetUserString(h);
                if (MetadataTokens.GetHeapOffset(o.GetOrAddUserString(x)) != MetadataTokens.GetHeapOffset(h)) throw new InvalidOperationException("user string offsets moved");
                usNext = MetadataTokens.GetHeapOffset(h) + UsSize(x);
            }

            // The base heap is padded to 4 bytes and the delta's offsets continue after the padding (delta local offset k = aggregate
            // base size + k). Fill the gap with an unreferenced entry (a real implementation would rather rewrite ldstr tokens while copying IL).
            var bUs = m.GetHeapSize(HeapIndex.UserString);
            var gap = bUs + 1 - usNext; // the delta's first string (local offset 1) must land at bUs + 1
            if (gap > 0)
            {
                if (gap % 2 != 0 || gap < 2 || gap > 128) throw new NotSupportedException($"user-string gap {gap}");
                o.GetOrAddUserString(new string('\u2060', (gap - 2) / 2));
            }

            for (var h = MetadataTokens.UserStringHandle(1); MetadataTokens.GetHeapOffset(h) < d.GetHeapSize(HeapIndex.UserString) && d.GetUserString(h).Length > 0; h = d.GetNextHandle(h))
            {
                var got = MetadataTokens.GetHeapOffset(o.GetOrAddUserString(d.GetUserString(h)));
                if (got != bUs + MetadataTokens.GetHeapOffset(h)) throw new InvalidOperationException($"delta user string '{d.GetUserString(h)}' at local {MetadataTokens.GetHeapOffset(h)}: merged offset {got}, base heap {bUs}");
            }

            var mod = m.GetModuleDefinition();
            o.AddModule(0, S(mod.Name), o.GetOrAddGuid(Guid.NewGuid()), default, default);
            var asm = m.GetAssemblyDefinition();
            o.AddAssembly(S(asm.Name), asm.Version, S(asm.Culture), B(asm.PublicKey), asm.Flags, asm.HashAlgorithm);

            // AssemblyRef: the delta re-adds references the base already has; map them onto the base rows.
            foreach (var h in m.AssemblyReferences) { var a = m.GetAssemblyReference(h); o.AddAssemblyReference(S(a.Name), a.Version, S(a.Culture), B(a.PublicKeyOrToken), a.Flags, B(a.HashValue)); }
            var asmRefMap = new Dictionary<int, EntityHandle>();
            var nextAsmRef = m.GetTableRowCount(TableIndex.AssemblyRef);
            foreach (var h in d.AssemblyReferences)
            {
                var a = d.GetAssemblyReference(h);
                var real = map.First(x => x.Kind == HandleKind.AssemblyReference && deltaRow[MetadataTokens.GetToken(x)] == MetadataTokens.GetRowNumber(h));
                var name = d.GetString(MetadataTokens.StringHandle(MetadataTokens.GetHeapOffset(a.Name) - bStr));
                var existing = m.AssemblyReferences.FirstOrDefault(x => m.GetString(m.GetAssemblyReference(x).Name) == name && m.GetAssemblyReference(x).Version == a.Version);
                asmRefMap[MetadataTokens.GetToken(real)] = existing.IsNil
                    ? o.AddAssemblyReference(DS(a.Name), a.Version, a.Culture.IsNil ? default : DS(a.Culture), a.PublicKeyOrToken.IsNil ? default : DB(a.PublicKeyOrToken), a.Flags, default)
                    : existing;
            }

            foreach (var h in m.TypeReferences) { var t = m.GetTypeReference(h); o.AddTypeReference(t.ResolutionScope, S(t.Namespace), S(t.Name)); }
            foreach (var h in d.TypeReferences)
            {
                var t = d.GetTypeReference(h);
                var scope = t.ResolutionScope.Kind == HandleKind.AssemblyReference && asmRefMap.TryGetValue(MetadataTokens.GetToken(t.ResolutionScope), out var mapped) ? mapped : t.ResolutionScope;
                o.AddTypeReference(scope, t.Namespace.IsNil ? default : DS(t.Namespace), DS(t.Name));
            }

            // TypeDef / Field / MethodDef / Param, keeping list columns.
            int fields = 0, methods = 0, pars = 0, props = 0, events = 0;
            foreach (var h in m.TypeDefinitions)
            {
                var t = m.GetTypeDefinition(h);
                o.AddTypeDefinition(t.Attributes, S(t.Namespace), S(t.Name), t.BaseType, MetadataTokens.FieldDefinitionHandle(fields + 1), MetadataTokens.MethodDefinitionHandle(methods + 1));
                fields += t.GetFields().Count;
                methods += t.GetMethods().Count;
                var layout = t.GetLayout();
                if (!layout.IsDefault) o.AddTypeLayout(h, (ushort)layout.PackingSize, (uint)layout.Size);
                foreach (var ii in t.GetInterfaceImplementations()) o.AddInterfaceImplementation(h, m.GetInterfaceImplementation(ii).Interface);
                if (!t.GetDeclaringType().IsNil) o.AddNestedType(h, t.GetDeclaringType());
                if (t.GetProperties().Count > 0) { o.AddPropertyMap(h, MetadataTokens.PropertyDefinitionHandle(props + 1)); props += t.GetProperties().Count; }
                if (t.GetEvents().Count > 0) { o.AddEventMap(h, MetadataTokens.EventDefinitionHandle(events + 1)); events += t.GetEvents().Count; }
            }

            foreach (var h in m.FieldDefinitions)
            {
                var f = m.GetFieldDefinition(h);
                o.AddFieldDefinition(f.Attributes, S(f.Name), B(f.Signature));
                if (f.GetOffset() >= 0) o.AddFieldLayout(h, f.GetOffset());
            }

            var baseMethodCount = m.GetTableRowCount(TableIndex.MethodDef);
            foreach (var h in m.MethodDefinitions)
            {
                var md = m.GetMethodDefinition(h);
                var token = MetadataTokens.GetToken(h);
                var bodyOffset = -1;
                if (deltaRow.TryGetValue(token, out var row))
                {
                    // Updated body: the delta row's RVA is an offset into the IL delta stream.
                    var rva = d.GetMethodDefinition(MetadataTokens.MethodDefinitionHandle(row)).RelativeVirtualAddress;
                    var body = MethodBodyBlock.Create(new BlobReader(ip + rva, deltaIl.Length - rva));
                    ilOut.Align(4);
                    bodyOffset = ilOut.Count;
                    ilOut.WriteBytes(ip + rva, body.Size);
                }
                else if (md.RelativeVirtualAddress != 0)
                {
                    var body = pe.GetMethodBody(md.RelativeVirtualAddress);
                    ilOut.Align(4);
                    bodyOffset = ilOut.Count;
                    var data = pe.GetSectionData(md.RelativeVirtualAddress);
                    ilOut.WriteBytes(data.Pointer, body.Size);
                }

                o.AddMethodDefinition(md.Attributes, md.ImplAttributes, S(md.Name), B(md.Signature), bodyOffset, MetadataTokens.ParameterHandle(pars + 1));
                pars += md.GetParameters().Count;
            }

            for (var i = 1; i <= m.GetTableRowCount(TableIndex.Param); i++) { var p = m.GetParameter(MetadataTokens.ParameterHandle(i)); o.AddParameter(p.Attributes, S(p.Name), p.SequenceNumber); }
            foreach (var h in m.PropertyDefinitions) { var p = m.GetPropertyDefinition(h); o.AddProperty(p.Attributes, S(p.Name), B(p.Signature)); }
            foreach (var h in m.EventDefinitions) { var e = m.GetEventDefinition(h); o.AddEvent(e.Attributes, S(e.Name), e.Type); }
            var semantics = new List<(int Key, EntityHandle Assoc, MethodSemanticsAttributes Kind, MethodDefinitionHandle Method)>();
            foreach (var h in m.PropertyDefinitions)
            {
                var a = m.GetPropertyDefinition(h).GetAccessors();
                var key = (MetadataTokens.GetRowNumber(h) << 1) | 1;
                if (!a.Getter.IsNil) semantics.Add((key, h, MethodSemanticsAttributes.Getter, a.Getter));
                if (!a.Setter.IsNil) semantics.Add((key, h, MethodSemanticsAttributes.Setter, a.Setter));
                foreach (var x in a.Others) semantics.Add((key, h, MethodSemanticsAttributes.Other, x));
            }
            foreach (var h in m.EventDefinitions)
            {
                var a = m.GetEventDefinition(h).GetAccessors();
                var key = MetadataTokens.GetRowNumber(h) << 1;
                if (!a.Adder.IsNil) semantics.Add((key, h, MethodSemanticsAttributes.Adder, a.Adder));
                if (!a.Remover.IsNil) semantics.Add((key, h, MethodSemanticsAttributes.Remover, a.Remover));
                if (!a.Raiser.IsNil) semantics.Add((key, h, MethodSemanticsAttributes.Raiser, a.Raiser));
                foreach (var x in a.Others) semantics.Add((key, h, MethodSemanticsAttributes.Other, x));
            }
            foreach (var s in semantics.OrderBy(s => s.Key)) o.AddMethodSemantics(s.Assoc, s.Kind, s.Method);

            for (var i = 1; i <= m.GetTableRowCount(TableIndex.MethodImpl); i++) { var x = m.GetMethodImplementation(MetadataTokens.MethodImplementationHandle(i)); o.AddMethodImplementation(x.Type, x.MethodBody, x.MethodDeclaration); }
            for (var i = 1; i <= m.GetTableRowCount(TableIndex.GenericParam); i++) { var g = m.GetGenericParameter(MetadataTokens.GenericParameterHandle(i)); o.AddGenericParameter(g.Parent, g.Attributes, S(g.Name), g.Index); }
            for (var i = 1; i <= m.GetTableRowCount(TableIndex.GenericParamConstraint); i++) { var g = m.GetGenericParameterConstraint(MetadataTokens.GenericParameterConstraintHandle(i)); o.AddGenericParameterConstraint(g.Parameter, g.Type); }
            for (var i = 1; i <= m.GetTableRowCount(TableIndex.Constant); i++)
            {
                var c = m.GetConstant(MetadataTokens.ConstantHandle(i));
                var reader = m.GetBlobReader(c.Value);
                o.AddConstant(c.Parent, c.TypeCode == ConstantTypeCode.NullReference ? null : reader.ReadConstant(c.TypeCode));
            }
            foreach (var h in m.CustomAttributes) { var ca = m.GetCustomAttribute(h); o.AddCustomAttribute(ca.Parent, ca.Constructor, B(ca.Value)); }

            // Append-only tables: base rows, then the delta's new rows (their real row ids continue the base's).
            foreach (var h in m.MemberReferences) { var x = m.GetMemberReference(h); o.AddMemberReference(x.Parent, S(x.Name), B(x.Signature)); }
            foreach (var h in d.MemberReferences) { var x = d.GetMemberReference(h); o.AddMemberReference(x.Parent, DS(x.Name), DB(x.Signature)); }
            for (var i = 1; i <= m.GetTableRowCount(TableIndex.StandAloneSig); i++) o.AddStandaloneSignature(B(m.GetStandaloneSignature(MetadataTokens.StandaloneSignatureHandle(i)).Signature));
            for (var i = 1; i <= d.GetTableRowCount(TableIndex.StandAloneSig); i++) o.AddStandaloneSignature(DB(d.GetStandaloneSignature(MetadataTokens.StandaloneSignatureHandle(i)).Signature));
            for (var i = 1; i <= m.GetTableRowCount(TableIndex.TypeSpec); i++) o.AddTypeSpecification(B(m.GetTypeSpecification(MetadataTokens.TypeSpecificationHandle(i)).Signature));
            for (var i = 1; i <= d.GetTableRowCount(TableIndex.TypeSpec); i++) o.AddTypeSpecification(DB(d.GetTypeSpecification(MetadataTokens.TypeSpecificationHandle(i)).Signature));
            for (var i = 1; i <= m.GetTableRowCount(TableIndex.MethodSpec); i++) { var x = m.GetMethodSpecification(MetadataTokens.MethodSpecificationHandle(i)); o.AddMethodSpecification(x.Method, B(x.Signature)); }
            for (var i = 1; i <= d.GetTableRowCount(TableIndex.MethodSpec); i++) { var x = d.GetMethodSpecification(MetadataTokens.MethodSpecificationHandle(i)); o.AddMethodSpecification(x.Method, DB(x.Signature)); }

            var peOut = new BlobBuilder();
            new ManagedPEBuilder(PEHeaderBuilder.CreateLibraryHeader(), new MetadataRootBuilder(o), ilOut, flags: CorFlags.ILOnly).Serialize(peOut);
            return peOut.ToArray();
        }
    }
}
