using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Molt.Compilation;

/// <summary>
/// Compiled modules on disk, keyed by a hash of everything that decides the compiler's output
/// (see <c>ModuleCompiler.CacheKey</c>), so a process that starts on sources it has compiled before
/// loads the image instead of compiling it again.
/// </summary>
/// <remarks>
/// Each entry is one file, <c>&lt;key&gt;.molt</c>: a header, the image, the PDB, the warnings the
/// compile reported, and a SHA-256 of all of it; beside them, <c>&lt;key&gt;.facts</c>: what
/// planning read of a module's sources (<see cref="CachedFacts"/>), so a start on sources read
/// before does not parse them. An entry that fails that check (a torn write, a
/// bad disk, a hand edit) is deleted and the module is compiled as if it had never been cached.
/// Entries are written to a temporary file and renamed into place, so readers never see half of
/// one. The directory is created private (0700), and a directory that other users can write to is
/// refused: whoever can write an entry chooses the code the process runs.
/// </remarks>
internal sealed class CompilationCache
{
    private const string Extension = ".molt";
    private const string FactsExtension = ".facts";
    private static readonly byte[] s_magic = "MOLTC002"u8.ToArray();
    private readonly string _directory;
    private readonly long _maxBytes;
    private readonly ILogger _logger;
    private int _writesSincePrune;

    private CompilationCache(string directory, long maxBytes, ILogger logger)
    {
        _directory = directory;
        _maxBytes = maxBytes;
        _logger = logger;
    }

    /// <summary>
    /// Opens (creating if needed) the cache in <paramref name="path"/>; <see langword="null"/>, with
    /// a warning logged, when the directory cannot be used safely. A broken cache never stops a
    /// process: it compiles everything instead.
    /// </summary>
    public static CompilationCache? Open(string path, long maxBytes, ILogger logger)
    {
        var directory = Path.GetFullPath(path);
        if (PrivateDirectory.Ensure(directory) is { } problem)
        {
            Log.CompilationCacheUnusable(logger, directory, problem);
            return null;
        }

        return new CompilationCache(directory, maxBytes, logger);
    }

    /// <summary>Reads the entry for <paramref name="key"/>; <see langword="null"/> when there is none or it is damaged.</summary>
    public CachedCompile? TryGet(string key) => Read(PathOf(key), Decode);

    /// <summary>Reads the module facts stored under <paramref name="key"/> (their problems given <paramref name="module"/>'s name); <see langword="null"/> when there are none or they are damaged.</summary>
    public ModuleFacts? TryGetFacts(string key, string module) => Read(PathOf(key, FactsExtension), bytes => CachedFacts.Decode(bytes, module));

    private T? Read<T>(string path, Func<byte[], T?> decode)
        where T : class
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.CompilationCacheEntryUnreadable(_logger, path, ex.Message);
            return null;
        }

        if (decode(bytes) is not { } entry)
        {
            Log.CompilationCacheEntryUnreadable(_logger, path, "the entry is damaged; it is deleted and the module compiled");
            TryDelete(path);
            return null;
        }

        // Most recently used entries survive pruning.
        try
        {
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Only the pruning order suffers.
        }

        return entry;
    }

    /// <summary>Stores a successful compile under <paramref name="key"/>. Failures are logged, never thrown: the compile already succeeded.</summary>
    public void Put(string key, CachedCompile entry) => Write(PathOf(key), Encode(entry));

    /// <summary>Stores what planning read of a module's sources under <paramref name="key"/>.</summary>
    public void PutFacts(string key, ModuleFacts facts) => Write(PathOf(key, FactsExtension), CachedFacts.Encode(facts));

    private void Write(string path, byte[] bytes)
    {
        var temporary = path + "." + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(bytes);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.CompilationCacheWriteFailed(_logger, path, ex.Message);
            TryDelete(temporary);
            return;
        }

        if (Interlocked.Increment(ref _writesSincePrune) % 32 == 1)
        {
            Prune();
        }
    }

    /// <summary>Deletes the least recently used entries while the cache holds more than its size limit.</summary>
    internal void Prune()
    {
        try
        {
            var directory = new DirectoryInfo(_directory);
            var entries = directory.EnumerateFiles("*" + Extension).Concat(directory.EnumerateFiles("*" + FactsExtension))
                .OrderByDescending(f => f.LastWriteTimeUtc)
                .ToArray();
            long total = 0;
            foreach (var entry in entries)
            {
                total += entry.Length;
                if (total > _maxBytes)
                {
                    TryDelete(entry.FullName);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.CompilationCacheWriteFailed(_logger, _directory, ex.Message);
        }
    }

    private string PathOf(string key, string extension = Extension) => Path.Combine(_directory, key + extension);

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A leftover file is pruned later.
        }
    }

    internal static byte[] Encode(CachedCompile entry)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(s_magic);
            writer.Write(entry.AssemblyName);
            writer.Write(entry.Image.Length);
            writer.Write(entry.Image);
            writer.Write(entry.Pdb?.Length ?? -1);
            if (entry.Pdb is { } pdb)
            {
                writer.Write(pdb);
            }

            writer.Write(entry.ApiHash ?? string.Empty);
            writer.Write(entry.Warnings.Count);
            foreach (var warning in entry.Warnings)
            {
                writer.Write(warning.Path ?? string.Empty);
                writer.Write(warning.Line);
                writer.Write(warning.Column);
                writer.Write(warning.Id);
                writer.Write(warning.Message);
            }
        }

        return SealedEntry.Seal(buffer.ToArray());
    }

    internal static CachedCompile? Decode(byte[] bytes)
    {
        if (!SealedEntry.TryOpen(bytes, s_magic, out var length))
        {
            return null;
        }

        try
        {
            using var reader = new BinaryReader(new MemoryStream(bytes, 0, length), Encoding.UTF8);
            reader.ReadBytes(s_magic.Length);
            var assemblyName = reader.ReadString();
            var image = reader.ReadBytes(reader.ReadInt32());
            var pdbLength = reader.ReadInt32();
            var pdb = pdbLength < 0 ? null : reader.ReadBytes(pdbLength);
            var apiHash = reader.ReadString();
            var count = reader.ReadInt32();
            var warnings = new List<CachedWarning>(Math.Min(count, 1024));
            for (var i = 0; i < count; i++)
            {
                var path = reader.ReadString();
                warnings.Add(new CachedWarning(path.Length == 0 ? null : path, reader.ReadInt32(), reader.ReadInt32(), reader.ReadString(), reader.ReadString()));
            }

            return new CachedCompile(assemblyName, image, pdb, apiHash.Length == 0 ? null : apiHash, warnings);
        }
        catch (Exception ex) when (ex is EndOfStreamException or IOException or ArgumentException)
        {
            return null;
        }
    }
}

/// <summary>What the cache keeps of one compile.</summary>
internal sealed record CachedCompile(string AssemblyName, byte[] Image, byte[]? Pdb, string? ApiHash, IReadOnlyList<CachedWarning> Warnings);

/// <summary>A warning the compile reported, replayed on every cache hit so it is not lost.</summary>
internal sealed record CachedWarning(string? Path, int Line, int Column, string Id, string Message);
