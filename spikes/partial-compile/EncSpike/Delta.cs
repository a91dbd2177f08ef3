using System.Collections.Immutable;
using System.Diagnostics;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Emit;

namespace EncSpike;

/// <summary>Design 2: full Emit vs EmitDifference on the generated program; what a delta contains.</summary>
internal static class Delta
{
    const string Target = "Work"; // Export{id}.Work's body is edited
    static int s_edit;

    /// <summary>A body edit of Export{id}.Work: the returned expression gets a different constant each time.</summary>
    static string Edit(string text, int k, string extra = "") =>
        text.Replace("return n + ", $"{extra}return {k} + n + ");

    public static void Run(int files, OptimizationLevel level)
    {
        var sw = Stopwatch.StartNew();
        var c0 = Common.Program(files, level);
        var lines = c0.SyntaxTrees.Sum(t => t.GetText().Lines.Count);
        var (pe0, pdb0) = Common.Emit(c0);
        Console.WriteLine($"{files} files, {lines} lines, {level}: first compile+emit {sw.ElapsedMilliseconds} ms, image {pe0.Length / 1024} KB, pdb {pdb0.Length / 1024} KB");

        var edited = Math.Min(7, files - 1);
        var tree0 = c0.SyntaxTrees[edited];
        var text0 = tree0.GetText().ToString();

        // (a) Full Emit of the edited compilation (ReplaceSyntaxTree on the previous one, as Molt's CompilationReuse does), warm.
        var n = files > 100 ? 5 : 8;
        var skip = n - 5 + 2;
        var full = new List<double>();
        var fullCpu = new List<double>();
        for (var i = 0; i < n; i++)
        {
            var c1 = c0.ReplaceSyntaxTree(tree0, Common.Tree(Edit(text0, ++s_edit), tree0.FilePath));
            var ms = Common.Ms(() => Common.Emit(c1));
            if (i >= skip) { full.Add(ms); fullCpu.Add(Common.LastCpu); }
        }

        Console.WriteLine($"  (a) full Emit (PE+PDB) of edited compilation:      wall {Common.Stats(full)}; cpu {Common.Stats(fullCpu)}");

        // (b) EmitDifference: find the changed member from the syntax diff, map it to old/new symbols, emit the delta.
        var diffs = new List<double>();
        var finds = new List<double>();
        var baselines = new List<double>();
        var diffCpu = new List<double>();
        EmitDifferenceResult last = null;
        byte[] lastMd = null;
        for (var i = 0; i < 8; i++)
        {
            var tree1 = Common.Tree(Edit(text0, ++s_edit), tree0.FilePath);
            var c1 = c0.ReplaceSyntaxTree(tree0, tree1);
            ImmutableArray<SemanticEdit> edits = default;
            var tFind = Common.Ms(() => edits = ChangedMembers(c0, tree0, c1, tree1));
            EmitBaseline baseline = null;
            var tBase = Common.Ms(() => baseline = Common.Baseline(c0, pe0, pdb0));
            using var md = new MemoryStream();
            using var il = new MemoryStream();
            using var pdb = new MemoryStream();
            var tDiff = Common.Ms(() => last = c1.EmitDifference(baseline, edits, _ => false, md, il, pdb));
            if (!last.Success) throw new Exception(string.Join('\n', last.Diagnostics));
            lastMd = md.ToArray();
            if (i >= 3) { diffs.Add(tDiff); diffCpu.Add(Common.LastCpu); finds.Add(tFind); baselines.Add(tBase); }
        }

        Console.WriteLine($"  (b) find changed member (syntax diff + symbols):    {Common.Stats(finds)}");
        Console.WriteLine($"      CreateInitialBaseline:                          {Common.Stats(baselines)}");
        Console.WriteLine($"      EmitDifference (1 method body):                 wall {Common.Stats(diffs)}; cpu {Common.Stats(diffCpu)}");

        // (c) same, chained: baseline = previous delta's Baseline (how dotnet-watch keeps going), c_prev = previous compilation.
        var chained = new List<double>();
        var cPrev = (Compilation)c0;
        var tPrev = tree0;
        var b = Common.Baseline(c0, pe0, pdb0);
        for (var i = 0; i < 8; i++)
        {
            var tree1 = Common.Tree(Edit(text0, ++s_edit), tree0.FilePath);
            var c1 = cPrev.ReplaceSyntaxTree(tPrev, tree1);
            using var md = new MemoryStream();
            using var il = new MemoryStream();
            using var pdb = new MemoryStream();
            EmitDifferenceResult r = null;
            var t = Common.Ms(() =>
            {
                var edits = ChangedMembers(cPrev, tPrev, c1, tree1);
                r = c1.EmitDifference(b, edits, _ => false, md, il, pdb);
            });
            b = r.Baseline;
            cPrev = c1;
            tPrev = tree1;
            if (i >= 3) chained.Add(t);
        }

        Console.WriteLine($"  (c) chained find+EmitDifference (baseline=prev delta): {Common.Stats(chained)}");
        Console.WriteLine("  delta of a plain body edit:");
        Describe(lastMd, pe0);
    }

    /// <summary>Members whose declaration text changed between the two trees, as Update edits.</summary>
    public static ImmutableArray<SemanticEdit> ChangedMembers(Compilation c0, SyntaxTree t0, Compilation c1, SyntaxTree t1)
    {
        var edits = ImmutableArray.CreateBuilder<SemanticEdit>();
        var m0 = c0.GetSemanticModel(t0);
        var m1 = c1.GetSemanticModel(t1);
        var root0 = t0.GetRoot();
        var root1 = t1.GetRoot();
        foreach (var change in t1.GetChanges(t0))
        {
            // The innermost member declaration enclosing the change (span in the old text).
            var n0 = root0.FindToken(change.Span.Start).Parent!.AncestorsAndSelf().OfType<MemberDeclarationSyntax>().First(m => m is BaseMethodDeclarationSyntax or PropertyDeclarationSyntax or FieldDeclarationSyntax);
            var s0 = m0.GetDeclaredSymbol(n0);
            var s1 = s0 is null ? null : SymbolInNew(c1, s0);
            if (s0 is null || s1 is null || s0 is not IMethodSymbol) throw new NotSupportedException("spike handles method body edits only");
            edits.Add(new SemanticEdit(SemanticEditKind.Update, s0, s1));
        }

        return edits.ToImmutable();
    }

    static ISymbol SymbolInNew(Compilation c1, ISymbol s0)
    {
        var type = c1.GetTypeByMetadataName(s0.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat).Replace("global::", ""));
        return type?.GetMembers(s0.Name).FirstOrDefault(m => m.ToDisplayString() == s0.ToDisplayString());
    }

    public static void Describe(byte[] md, byte[] basePe)
    {
        unsafe
        {
            fixed (byte* p = md)
            {
                var r = new MetadataReader(p, md.Length);
                var log = r.GetEditAndContinueLogEntries().GroupBy(e => (MetadataTokens.EntityHandle(MetadataTokens.GetToken(e.Handle)).Kind, e.Operation))
                    .Select(g => $"{g.Key.Kind}{(g.Key.Operation == EditAndContinueOperation.Default ? "" : "/" + g.Key.Operation)} x{g.Count()}");
                Console.WriteLine($"    EncLog: {string.Join(", ", log)}");
                var map = r.GetEditAndContinueMapEntries().Select(h => MetadataTokens.GetToken(h)).GroupBy(t => (TableIndex)(t >> 24))
                    .Select(g => $"{g.Key}:{string.Join("/", g.Select(t => t & 0xFFFFFF))}");
                Console.WriteLine($"    EncMap (real row ids): {string.Join(", ", map)}");
                var tables = Enum.GetValues<TableIndex>().Where(t => r.GetTableRowCount(t) > 0).Select(t => $"{t}:{r.GetTableRowCount(t)}");
                Console.WriteLine($"    rows:   {string.Join(", ", tables)}");
                using var peReader = new System.Reflection.PortableExecutable.PEReader(ImmutableArray.Create(basePe));
                var b = peReader.GetMetadataReader();
                Console.WriteLine($"    heaps (delta bytes / base bytes): #Strings {r.GetHeapSize(HeapIndex.String)}/{b.GetHeapSize(HeapIndex.String)}, #US {r.GetHeapSize(HeapIndex.UserString)}/{b.GetHeapSize(HeapIndex.UserString)}, #Blob {r.GetHeapSize(HeapIndex.Blob)}/{b.GetHeapSize(HeapIndex.Blob)}, #GUID {r.GetHeapSize(HeapIndex.Guid)}/{b.GetHeapSize(HeapIndex.Guid)}");
                // Are delta heap offsets aggregate? Look at handles stored in the delta's rows.
                // Delta heap offsets are aggregate (they start where the base heap ends): read them at offset - base size.
                var baseStrings = b.GetHeapSize(HeapIndex.String);
                string S(StringHandle h) => h.IsNil ? "" : MetadataTokens.GetHeapOffset(h) >= baseStrings ? r.GetString(MetadataTokens.StringHandle(MetadataTokens.GetHeapOffset(h) - baseStrings)) : "base:" + b.GetString(h);
                foreach (var h in r.AssemblyReferences) Console.WriteLine($"    delta AssemblyRef: {S(r.GetAssemblyReference(h).Name)}");
                foreach (var h in r.TypeReferences) Console.WriteLine($"    delta TypeRef: {S(r.GetTypeReference(h).Namespace)}.{S(r.GetTypeReference(h).Name)} scope {MetadataTokens.GetToken(r.GetTypeReference(h).ResolutionScope):X8}");
                foreach (var h in r.MemberReferences) Console.WriteLine($"    delta MemberRef: {S(r.GetMemberReference(h).Name)} parent {MetadataTokens.GetToken(r.GetMemberReference(h).Parent):X8}");
                foreach (var h in r.MemberReferences.Take(2))
                {
                    var mr = r.GetMemberReference(h);
                    Console.WriteLine($"    delta MemberRef row {MetadataTokens.GetRowNumber(h)} (base has {b.GetTableRowCount(TableIndex.MemberRef)}): name offset {MetadataTokens.GetHeapOffset(mr.Name)}, signature offset {MetadataTokens.GetHeapOffset(mr.Signature)}");
                }
                foreach (var h in r.MethodDefinitions.Take(3))
                {
                    var m = r.GetMethodDefinition(h);
                    Console.WriteLine($"    delta MethodDef row {MetadataTokens.GetRowNumber(h)}: name offset {MetadataTokens.GetHeapOffset(m.Name)}, sig offset {MetadataTokens.GetHeapOffset(m.Signature)}, RVA {m.RelativeVirtualAddress}");
                }
            }
        }
    }

    /// <summary>What a delta contains for body edits that add a lambda, a string switch, an array initializer.</summary>
    public static void Kinds(OptimizationLevel level)
    {
        var c0 = Common.Program(8, level);
        var (pe0, pdb0) = Common.Emit(c0);
        var tree0 = c0.SyntaxTrees[7];
        var text0 = tree0.GetText().ToString();
        var kinds = new (string Name, string Extra)[]
        {
            ("plain body edit", ""),
            ("new string literal", "Console.Write(\"hello\");\n"),
            ("adds a lambda", "Func<int, int> f = x => x + count; n += f(1);\n"),
            ("adds a capturing-free lambda + LINQ", "n += Enumerable.Range(0, count).Count(x => x % 5 == 0);\n"),
            ("adds a string switch (7 cases)", "n += ledger.Describe() switch { \"a\" => 1, \"b\" => 2, \"c\" => 3, \"d\" => 4, \"e\" => 5, \"f\" => 6, \"g\" => 7, _ => 0 };\n"),
            ("adds an array initializer (int[16])", "var arr = new int[] { 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16 }; n += arr[count % 16];\n"),
            ("adds a u8 literal / collection expr", "ReadOnlySpan<byte> u = \"abcdefghij\"u8; n += u[count % 10];\n"),
        };
        foreach (var (name, extra) in kinds)
        {
            var tree1 = Common.Tree(Edit(text0, 42, extra), tree0.FilePath);
            var c1 = c0.ReplaceSyntaxTree(tree0, tree1);
            var edits = ChangedMembers(c0, tree0, c1, tree1);
            using var md = new MemoryStream();
            using var il = new MemoryStream();
            using var pdb = new MemoryStream();
            var r = c1.EmitDifference(Common.Baseline(c0, pe0, pdb0), edits, _ => false, md, il, pdb);
            Console.WriteLine($"== {name} ({level}): success={r.Success} {string.Join("; ", r.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error))}");
            if (!r.Success) continue;
            Describe(md.ToArray(), pe0);
            unsafe
            {
                var bytes = md.ToArray();
                fixed (byte* p = bytes)
                {
                    var dr = new MetadataReader(p, bytes.Length);
                    using var bp = new System.Reflection.PortableExecutable.PEReader(ImmutableArray.Create(pe0));
                    var bs = bp.GetMetadataReader().GetHeapSize(HeapIndex.String);
                    string S(StringHandle h) => MetadataTokens.GetHeapOffset(h) >= bs ? dr.GetString(MetadataTokens.StringHandle(MetadataTokens.GetHeapOffset(h) - bs)) : "(base string)";
                    var names = dr.TypeDefinitions.Select(h => "type " + S(dr.GetTypeDefinition(h).Name))
                        .Concat(dr.MethodDefinitions.Select(h => "method " + S(dr.GetMethodDefinition(h).Name)))
                        .Concat(dr.FieldDefinitions.Select(h => "field " + S(dr.GetFieldDefinition(h).Name)));
                    Console.WriteLine($"    names of defs in delta: {string.Join(", ", names.Distinct())}");
                }
            }

            // And what a full compile names the same things (compare synthesized names).
            var (pe1, _) = Common.Emit(c1);
            using var per = new System.Reflection.PortableExecutable.PEReader(ImmutableArray.Create(pe1));
            var fr = per.GetMetadataReader();
            var synth = fr.TypeDefinitions.Select(h => fr.GetTypeDefinition(h)).Where(t => fr.GetString(t.Name).Contains('<') || t.GetDeclaringType() is { IsNil: false } d && fr.GetString(fr.GetTypeDefinition(d).Name).Contains("Export"))
                .SelectMany(t => t.GetMethods().Select(m => fr.GetString(t.Name) + "::" + fr.GetString(fr.GetMethodDefinition(m).Name)).Concat(t.GetFields().Select(f => fr.GetString(t.Name) + "::" + fr.GetString(fr.GetFieldDefinition(f).Name))))
                .Where(n => n.Contains("Work") || n.Contains("PrivateImpl"));
            Console.WriteLine($"    full compile's synthesized members for Work: {string.Join(", ", synth)}");
        }
    }
}
