using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using Microsoft.CodeAnalysis;
using Molt.Compilation;
using Molt.Compilation.Server;
using Molt.Modules;

namespace Molt.CompileServer;

/// <summary>
/// Compiles requests with the engine's own code (<see cref="ModuleCompiler.Parse"/> and
/// <see cref="ModuleCompiler.Emit"/>), so an image from here is the image the host would have
/// emitted. Keeps what makes the next compile fast, as the host does: one metadata reference per
/// reference file (by path, size and write time), one reference list per distinct list (so a
/// module's previous compilation can be reused) and each module's last compilation.
/// </summary>
internal sealed class ServerCompiler
{
    // Bounds: a server outlives many hosts, whose modules come and go.
    private const int MaxCompilations = 64;
    private const int MaxReferenceLists = 16;
    private const int MaxImages = 256;

    private readonly ConcurrentDictionary<CompileSettings, ModuleCompiler> _compilers = new();
    private readonly ConcurrentDictionary<ReferenceStamp, MetadataReference> _files = new();
    private readonly BoundedMap<ImmutableArray<MetadataReference>> _lists = new(MaxReferenceLists);
    private readonly BoundedMap<MetadataReference> _images = new(MaxImages);
    private readonly BoundedMap<CompiledModule> _previous = new(MaxCompilations);

    /// <summary>Compiles one request; a request the server cannot compile as the host would is refused.</summary>
    public ServerReply Compile(ServerRequest request)
    {
        if (request.ScanOnly)
        {
            return Scan(request);
        }

        // A reference already read here is the host's too (both read a file's metadata once); a new
        // one must be the file the host saw.
        if (request.References.Where(r => !_files.ContainsKey(r) && ReferenceStamp.Of(r.Path) != r).Select(r => r.Path).FirstOrDefault() is { } changed)
        {
            return ServerReply.Refused($"the reference '{changed}' is not the file the host saw");
        }

        var compiler = CompilerFor(request.Settings);
        var source = SourceOf(request);
        var parseDiagnostics = new List<ModuleDiagnostic>();
        if (compiler.Parse(source, parseDiagnostics) is not { } parsed)
        {
            // The host parsed the same bytes without errors before asking: it compiles them itself.
            return ServerReply.Refused($"the sources did not parse here: {parseDiagnostics.FirstOrDefault()?.Message}");
        }

        var (listKey, references) = ReferencesOf(request);
        var previousKey = $"{request.AssemblyName}\0{request.SourcePath}\0{listKey}";
        var diagnostics = new List<ModuleDiagnostic>();
        var compiled = compiler.Emit(
            new EmitInput(source, request.AssemblyName, parsed.Trees, references, _previous.TryGet(previousKey, out var previous) ? previous : null, request.HasDependents),
            diagnostics);
        if (compiled?.Compilation is not null)
        {
            _previous.Set(previousKey, compiled);
        }

        return new ServerReply(null, compiled is not null, diagnostics)
        {
            Image = compiled?.Image,
            Pdb = compiled?.Pdb,
            ApiHash = compiled?.ApiHash,
            DeltaBase = compiled?.DeltaBase,
            DeltaRefused = compiled?.DeltaRefused,
        };
    }

    /// <summary>
    /// Parses the module as the host would and answers what planning needs; a module that does not
    /// parse is answered with its diagnostics (the host would report the same ones). The trees are
    /// kept: the module's compile, which usually follows, finds them parsed.
    /// </summary>
    private ServerReply Scan(ServerRequest request)
    {
        var diagnostics = new List<ModuleDiagnostic>();
        var parsed = CompilerFor(request.Settings).Parse(SourceOf(request), diagnostics);
        return new ServerReply(null, parsed is not null, diagnostics) { Facts = parsed?.Facts };
    }

    private ModuleCompiler CompilerFor(CompileSettings settings) =>
        _compilers.GetOrAdd(settings, s => new ModuleCompiler(new MoltOptions
        {
            OptimizationLevel = s.OptimizationLevel,
            ImplicitUsings = s.ImplicitUsings,
            AllowProcessExit = s.AllowProcessExit,
            PartialCompiles = s.PartialCompiles,

            // The server warms its delta path up itself after its first compile (ServerHost); it
            // compiles every body edit it can as a delta, whatever its JIT state.
            WarmUpCompiler = false,
        }));

    private static ModuleSource SourceOf(ServerRequest request) => new()
    {
        Name = request.Module,
        Kind = request.Files.Count == 1 ? ModuleKind.SourceFile : ModuleKind.SourceFolder,
        Path = request.SourcePath,
        Files = [.. request.Files.Select(f => new ModuleFile(f.Path, f.Content, default))],
        Hash = string.Empty,
        Order = 0,
    };

    /// <summary>
    /// The host's references then the dependencies' images, as the same objects whenever the list
    /// is the same, so <c>CompilationReuse</c> keeps Roslyn's bound metadata from one edit to the next.
    /// </summary>
    private (string Key, ImmutableArray<MetadataReference> References) ReferencesOf(ServerRequest request)
    {
        var images = request.DependencyImages.Select(i => (Hash: Convert.ToHexStringLower(SHA256.HashData(i)), Image: i)).ToArray();
        var key = new StringBuilder();
        foreach (var r in request.References)
        {
            key.Append(r.Path).Append('\0').Append(r.Length).Append('\0').Append(r.WriteTicks).Append('\n');
        }

        foreach (var (hash, _) in images)
        {
            key.Append(hash).Append('\n');
        }

        var listKey = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key.ToString())));
        var list = _lists.GetOrAdd(listKey, () =>
        [
            .. request.References.Select(r => _files.GetOrAdd(r, s => MetadataReference.CreateFromFile(s.Path))),
            .. images.Select(i => _images.GetOrAdd(i.Hash, () => MetadataReference.CreateFromImage(i.Image))),
        ]);
        return (listKey, list);
    }
}

/// <summary>A small map that forgets its least recently used entries beyond a bound.</summary>
internal sealed class BoundedMap<T>(int capacity)
{
    private readonly Dictionary<string, (T Value, long Used)> _entries = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _clock;

    public bool TryGet(string key, out T value)
    {
        lock (_gate)
        {
            if (!_entries.TryGetValue(key, out var entry))
            {
                value = default!;
                return false;
            }

            _entries[key] = (entry.Value, ++_clock);
            value = entry.Value;
            return true;
        }
    }

    public void Set(string key, T value)
    {
        lock (_gate)
        {
            _entries[key] = (value, ++_clock);
            if (_entries.Count > capacity)
            {
                _entries.Remove(_entries.MinBy(e => e.Value.Used).Key);
            }
        }
    }

    public T GetOrAdd(string key, Func<T> create)
    {
        if (TryGet(key, out var found))
        {
            return found;
        }

        var value = create();
        Set(key, value);
        return value;
    }
}
