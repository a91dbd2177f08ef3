using System.Security.Cryptography;
using Molt.Compilation.Server;
using Molt.Modules;

namespace Molt.Compilation;

/// <summary>
/// A module's <see cref="ModuleFacts"/> as the compilation cache keeps them, so a start on sources
/// read before plans its reload without parsing (or asking the compile server): an entry of the
/// same cache, checked by a SHA-256 like the compiled images.
/// </summary>
internal static class CachedFacts
{
    private static readonly byte[] s_magic = "MOLTF001"u8.ToArray();

    // The parser's version decides the facts as much as the sources do; read from Molt's own
    // references so that computing the key does not load the compiler.
    private static readonly string s_parser = typeof(ModuleCompiler).Assembly.GetReferencedAssemblies()
        .FirstOrDefault(a => a.Name == "Microsoft.CodeAnalysis.CSharp")?.Version?.ToString() ?? "unknown";

    /// <summary>The key: Molt's build, the parser's version, every file's relative name and content (the scan's hash) and full path (diagnostics carry it).</summary>
    public static string KeyOf(ModuleSource source)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string text) => hash.AppendData(System.Text.Encoding.UTF8.GetBytes(text + "\n"));
        Add("molt-facts-1");
        Add(typeof(ModuleCompiler).Assembly.ManifestModule.ModuleVersionId.ToString());
        Add(s_parser);
        Add(source.Hash);
        foreach (var file in source.Files)
        {
            Add(file.Path);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    public static byte[] Encode(ModuleFacts facts) => SealedEntry.Seal([.. s_magic, .. new MessageWriter().Facts(facts).ToArray()]);

    /// <summary>The facts, or <see langword="null"/> when the bytes are not an intact entry.</summary>
    public static ModuleFacts? Decode(byte[] bytes, string module)
    {
        if (!SealedEntry.TryOpen(bytes, s_magic, out var length))
        {
            return null;
        }

        try
        {
            var reader = new MessageReader(bytes[s_magic.Length..length]);
            var facts = reader.ReadFacts(module);
            reader.End();
            return facts;
        }
        catch (CompileProtocolException)
        {
            return null;
        }
    }
}
