using Microsoft.CodeAnalysis;

namespace Molt;

/// <summary>Configures a <see cref="MoltEngine"/>. Every option has a documented default.</summary>
public sealed partial class MoltOptions
{
    /// <summary>
    /// Gets the module directories. Each <c>.cs</c> file, each subfolder and each <c>.dll</c> file
    /// directly inside a module directory is one module; modules load in ascending ordinal
    /// file-name order (dependencies first).
    /// </summary>
    /// <value>The default is empty.</value>
    public IList<string> ModuleDirectories { get; } = [];

    /// <summary>Gets paths of single modules: a <c>.cs</c> file, a folder of <c>.cs</c> files, or a <c>.dll</c>.</summary>
    /// <value>The default is empty.</value>
    public IList<string> Modules { get; } = [];

    /// <summary>Gets paths of extra assemblies that module sources are compiled against (the host's and the framework's are always referenced).</summary>
    /// <value>The default is empty.</value>
    public IList<string> References { get; } = [];

    /// <summary>Gets or sets the host's services, handed to modules through <see cref="IModuleContext.Services"/>.</summary>
    /// <value>The default is <see langword="null"/>: an empty service provider.</value>
    public IServiceProvider? Services { get; set; }

    /// <summary>Gets or sets how long a module's load hook may run before the reload is abandoned.</summary>
    /// <value>The default is 10 seconds.</value>
    public TimeSpan LoadTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets how long a retiring module's unload hook may run.</summary>
    /// <value>The default is 5 seconds.</value>
    public TimeSpan UnloadTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets how long retirement waits for tracked calls (<see cref="EntryPoint{TDelegate}.Enter"/>) still running in a retiring generation.</summary>
    /// <value>The default is 5 seconds.</value>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Gets or sets a value indicating whether the switch first quiesces tracked calls: it holds new
    /// tracked calls (<see cref="EntryPoint{TDelegate}.Enter"/>) into the generation being replaced,
    /// waits up to <see cref="DrainTimeout"/> for the running ones to return, commits the state and
    /// switches, then lets the held calls into the new generation. No tracked call of the old
    /// generation then runs after its state was migrated, so none of its writes is refused. Suits
    /// loops that call in short steps (a tick, a message); leave it off where a tracked call may run
    /// long (a slow web request would delay the switch). Untracked calls are never held, and neither
    /// is a tracked call made on the same thread inside a running tracked call of the generation
    /// being replaced (a host service the module calls back, that calls a module again): the switch
    /// waits for the outer call, which waits for it. Such a call made after an <c>await</c>, on another
    /// thread, is held, and the switch then waits <see cref="DrainTimeout"/> for the outer call.
    /// </summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool QuiesceBeforeSwitch { get; set; }

    /// <summary>
    /// Gets or sets how many garbage collections the background verifier may induce, spread over
    /// <see cref="UnloadVerificationTimeout"/>, before it reports a retired generation as leaked.
    /// With 0 it never induces one: it only watches the collections the program makes anyway
    /// (looking every 100 ms), and reports a generation still alive after the timeout as leaked.
    /// </summary>
    /// <value>The default is 10: each retirement costs at least one induced full collection (a few milliseconds, off the reload's path).</value>
    public int UnloadVerificationCollections { get; set; } = 10;

    /// <summary>Gets or sets how long the background verifier waits for a retired generation to be collected.</summary>
    /// <value>The default is 5 seconds.</value>
    public TimeSpan UnloadVerificationTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Gets or sets a value indicating whether retired generations are unloaded. Turning it off
    /// reproduces the seeds' behaviour (every generation stays in memory) and exists for measurements.
    /// </summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool UnloadRetiredGenerations { get; set; } = true;

    /// <summary>
    /// Gets or sets a value indicating whether a retiring generation's types are handed to the
    /// <see cref="System.Reflection.Metadata.MetadataUpdateHandlerAttribute"/> hooks of the host's and the
    /// framework's assemblies (<c>ClearCache</c>, then <c>UpdateApplication</c>), as hot reload does, so
    /// caches such as System.Text.Json's let go of it. A hook that throws is a warning (<c>MOLT042</c>).
    /// </summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool InvokeMetadataUpdateHandlers { get; set; } = true;

    /// <summary>Gets or sets the optimisation level of module compiles.</summary>
    /// <value>The default is <see cref="OptimizationLevel.Release"/>; portable PDBs are emitted either way, so stack traces show file and line.</value>
    public OptimizationLevel OptimizationLevel { get; set; } = OptimizationLevel.Release;

    /// <summary>Gets or sets a value indicating whether module sources get the SDK's implicit usings plus <c>Molt</c>.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool ImplicitUsings { get; set; } = true;

    /// <summary>
    /// Gets or sets a value indicating whether the compiler is warmed up in the background: by a
    /// throwaway compile when the engine is created or, with a <see cref="CompilationCachePath"/>,
    /// by building the compilations of the modules loaded from the cache once the engine has
    /// started (so their first edit costs what it would had they been compiled).
    /// </summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool WarmUpCompiler { get; set; } = true;

    /// <summary>
    /// Gets or sets a value indicating whether module sources may call <c>Environment.Exit</c> or
    /// <c>Environment.FailFast</c>. Such a call ends the process and nothing can contain it, so by
    /// default a module that makes one fails to compile (MOLT019).
    /// </summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool AllowProcessExit { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether an edit that changes method bodies only is emitted as
    /// a delta of the module's previous image and merged into a new image, instead of compiling the
    /// whole module: the cost then follows the edit, not the module's size. The new image behaves
    /// as a full compile's would (same code, exports, stack-trace lines and diagnostics); any edit
    /// the merge cannot reproduce exactly (a new member or type, a lambda or async method in an
    /// edited body, a changed declaration) is compiled whole, as are modules without a previous
    /// compile in this process or compile server.
    /// </summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool PartialCompiles { get; set; } = true;

    /// <summary>Gets or sets the largest source or assembly file a module may contain; larger files fail the reload with a clear error.</summary>
    /// <value>The default is 4 MiB.</value>
    public long MaxFileBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// Gets or sets how long a module file must have gone unwritten for a reload to use it. A reload
    /// reads a file written more recently at once and compiles it while the period runs out; then
    /// the file must be unchanged, or the reload starts over, waiting this time for the file to be
    /// quiet for 250 ms (or 25 quiet periods): its writer pauses. Any read during which the file
    /// changed is read again. So a save still in progress is never loaded or reported, whoever writes it.
    /// </summary>
    /// <remarks>
    /// Longer protects against writers that pause between chunks; shorter reloads sooner after a
    /// save. Write times come from the file system's clock, which on Linux may lag by a few milliseconds.
    /// An empty file is read as empty only once it stayed empty for 250 ms: a truncation, the first
    /// step of most saves, may keep the file's old write time.
    /// </remarks>
    /// <value>The default is 10 ms.</value>
    public TimeSpan FileQuietPeriod { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// Gets or sets the file persistent state is snapshotted to: restored when the engine starts
    /// (a corrupt or unreadable file is reported and the state starts from initial values), written
    /// by <see cref="MoltEngine.SaveStateSnapshotAsync"/> and, with <see cref="SnapshotOnStop"/>, when
    /// the engine stops. Writes are atomic.
    /// </summary>
    /// <value>The default is <see langword="null"/>: no snapshots.</value>
    public string? StateSnapshotPath { get; set; }

    /// <summary>Gets or sets a value indicating whether the state snapshot is written when the engine is disposed (a graceful stop).</summary>
    /// <value>The default is <see langword="true"/> (effective only with a <see cref="StateSnapshotPath"/>).</value>
    public bool SnapshotOnStop { get; set; } = true;

    /// <summary>
    /// Gets or sets a directory where compiled modules are kept, keyed by a hash of everything that
    /// decides the compiler's output (the compiler and engine builds, the options, the references,
    /// every file's path and content, and the modules depended on). A process that starts, or a
    /// reload that returns to sources compiled before, loads the image from there instead of
    /// compiling. The directory is created private (0700); one that other users can write to is
    /// refused with a warning, and a damaged entry is deleted and compiled again.
    /// </summary>
    /// <remarks>It may not be inside a module directory, unless within a folder whose name starts with a dot (which scans and watchers skip).</remarks>
    /// <value>
    /// The default is <see langword="null"/>: no cache. <c>molt run</c> and hosts using <c>AddMolt</c>
    /// use <see cref="DefaultCompilationCachePath"/>.
    /// </value>
    public string? CompilationCachePath { get; set; }

    /// <summary>
    /// Gets the per-user compilation cache: <c>$XDG_CACHE_HOME/molt/compiled</c>, else
    /// <c>~/.cache/molt/compiled</c>, else a <c>molt-</c> folder of the user in the temporary directory.
    /// </summary>
    public static string DefaultCompilationCachePath => Path.Combine(CacheRoot, "compiled");

    /// <summary>
    /// Gets the per-user package cache, beside the compilation cache: <c>$XDG_CACHE_HOME/molt/packages</c>,
    /// else <c>~/.cache/molt/packages</c>, else a <c>molt-</c> folder of the user in the temporary directory.
    /// </summary>
    public static string DefaultPackageCachePath => Path.Combine(CacheRoot, "packages");

    private static string CacheRoot
    {
        get
        {
            var root = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg && Path.IsPathFullyQualified(xdg)
                ? xdg
                : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) is { Length: > 0 } home
                    ? Path.Combine(home, ".cache")
                    : Path.Combine(Path.GetTempPath(), "molt-" + Environment.UserName);
            return Path.Combine(root, "molt");
        }
    }

    /// <summary>
    /// Gets or sets the directory where the packages that modules reference
    /// (<see cref="PackageReferenceAttribute"/>) are resolved: one small restore project per set of
    /// packages, restored once by the .NET SDK (<c>dotnet restore</c>, with the machine's NuGet
    /// configuration and caches), and the resolved asset paths kept as JSON, so later reloads and
    /// restarts do not restore again while the package files exist. Created private (0700); one that
    /// other users can write to is refused (the modules that reference packages then fail to reload).
    /// </summary>
    /// <remarks>It may not be inside a module directory, unless within a folder whose name starts with a dot.</remarks>
    /// <value>The default is <see cref="DefaultPackageCachePath"/>.</value>
    public string PackageCachePath { get; set; } = DefaultPackageCachePath;

    /// <summary>
    /// Gets or sets how long one package restore may run (it may download packages); a restore that
    /// takes longer is stopped and the reload fails with <see cref="MoltDiagnosticIds.PackageNotResolved"/>.
    /// </summary>
    /// <value>The default is 2 minutes.</value>
    public TimeSpan PackageRestoreTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Gets or sets the most the compilation cache may hold; the least recently used entries are deleted beyond it.</summary>
    /// <value>The default is 256 MiB.</value>
    public long CompilationCacheMaxBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>
    /// Gets or sets the factory the engine creates its meter <c>Molt</c> with, so a host's
    /// dependency injection owns it (<c>AddMolt</c> sets it from the host's services).
    /// </summary>
    /// <value>The default is <see langword="null"/>: the engine creates the meter itself.</value>
    public System.Diagnostics.Metrics.IMeterFactory? MeterFactory { get; set; }

    /// <summary>Gets or sets the clock used for timestamps, timers and delays.</summary>
    /// <value>The default is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>The module directory that <paramref name="path"/> is inside of and that a scan would reach, if any.</summary>
    private string? ScannedModuleDirectoryHolding(string path)
    {
        var full = Path.GetFullPath(path);
        foreach (var directory in ModuleDirectories)
        {
            var relative = Path.GetRelativePath(Path.GetFullPath(directory), full);
            if (relative == "." || (!relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative)
                && !relative.Split(Path.DirectorySeparatorChar).Any(Molt.Modules.ModulePaths.IsIgnored)))
            {
                return directory;
            }
        }

        return null;
    }

    internal void Validate()
    {
        if (ModuleDirectories.Count == 0 && Modules.Count == 0)
        {
            throw new InvalidOperationException("Molt has no modules to load: add a module directory or a module path to the options.");
        }

        if (LoadTimeout <= TimeSpan.Zero || UnloadTimeout <= TimeSpan.Zero || DrainTimeout < TimeSpan.Zero)
        {
            throw new InvalidOperationException("Molt's load, unload and drain timeouts must be positive.");
        }

        if (UnloadVerificationCollections < 0)
        {
            throw new InvalidOperationException("UnloadVerificationCollections cannot be negative (0 watches without inducing collections).");
        }

        if (FileQuietPeriod < TimeSpan.Zero || FileQuietPeriod > TimeSpan.FromSeconds(1))
        {
            throw new InvalidOperationException("FileQuietPeriod must be between 0 and 1 second.");
        }

        if (CompilationCacheMaxBytes <= 0)
        {
            throw new InvalidOperationException("CompilationCacheMaxBytes must be positive.");
        }

        if (CompilationCachePath is { } cache && ScannedModuleDirectoryHolding(cache) is { } directory)
        {
            throw new InvalidOperationException(
                $"The compilation cache '{cache}' is inside the module directory '{directory}', where it would be read as a module: put it elsewhere, or in a folder whose name starts with a dot (module scans and watchers skip those).");
        }

        if (PackageRestoreTimeout <= TimeSpan.Zero || CompileServerTimeout <= TimeSpan.Zero)
        {
            throw new InvalidOperationException("PackageRestoreTimeout and CompileServerTimeout must be positive.");
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(PackageCachePath);
        if (ScannedModuleDirectoryHolding(PackageCachePath) is { } packagesIn)
        {
            throw new InvalidOperationException(
                $"The package cache '{PackageCachePath}' is inside the module directory '{packagesIn}': put it elsewhere, or in a folder whose name starts with a dot.");
        }

        ArgumentNullException.ThrowIfNull(TimeProvider);
    }
}
