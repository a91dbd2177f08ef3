using System.Collections.Frozen;

namespace Molt;

/// <summary>
/// Every diagnostic id Molt itself reports (<see cref="ModuleDiagnostic.Id"/>), with what it means.
/// The compiler's own ids (<c>CS…</c>) are not listed. Ids are stable: hosts may filter on them.
/// </summary>
public static class MoltDiagnosticIds
{
    /// <summary>A module directory does not exist.</summary>
    public const string ModuleDirectoryMissing = "MOLT001";

    /// <summary>A path listed as a module is not a <c>.cs</c> file, a <c>.dll</c> or a folder of <c>.cs</c> files.</summary>
    public const string NotAModule = "MOLT002";

    /// <summary>Two modules have the same name.</summary>
    public const string DuplicateModuleName = "MOLT003";

    /// <summary>A module file is larger than <see cref="MoltOptions.MaxFileBytes"/>.</summary>
    public const string FileTooLarge = "MOLT004";

    /// <summary>A module file could not be read.</summary>
    public const string FileUnreadable = "MOLT005";

    /// <summary>A module file or folder resolves, through a link or <c>..</c>, outside its module root.</summary>
    public const string OutsideModuleRoot = "MOLT006";

    /// <summary>A source file is empty or holds only white space; delete the module to remove it.</summary>
    public const string EmptySource = "MOLT007";

    /// <summary>A module's files kept changing while they were read; the reload waits for the next stable save.</summary>
    public const string FilesUnstable = "MOLT008";

    /// <summary>A <c>[PackageReference]</c> is malformed: its id and version are not two string literals, the id is not a package id, or one package is asked for at two versions.</summary>
    public const string BadPackageReference = "MOLT009";

    /// <summary>A package a module references could not be resolved (not found, no network, no .NET SDK, or the restore timed out); the message carries the restore's own error.</summary>
    public const string PackageNotResolved = "MOLT029";

    /// <summary>A source file contains NUL bytes: it looks binary.</summary>
    public const string BinarySource = "MOLT010";

    /// <summary>A source file is not valid UTF-8.</summary>
    public const string NotUtf8 = "MOLT011";

    /// <summary>A <c>.dll</c> module is not a .NET assembly.</summary>
    public const string NotAnAssembly = "MOLT012";

    /// <summary>Modules depend on each other in a cycle.</summary>
    public const string DependencyCycle = "MOLT013";

    /// <summary>A <c>[DependsOn]</c> names a missing module or the module itself.</summary>
    public const string BadDependency = "MOLT014";

    /// <summary>An unchanged module depends on a module that was removed.</summary>
    public const string DependencyRemoved = "MOLT015";

    /// <summary>A module was not compiled because a module it depends on failed.</summary>
    public const string DependencyFailed = "MOLT016";

    /// <summary>The compiler itself failed on a module.</summary>
    public const string CompilerFailed = "MOLT017";

    /// <summary>A source nests brackets deeper than the compiler can safely parse.</summary>
    public const string NestedTooDeeply = "MOLT018";

    /// <summary>A module calls <c>Environment.Exit</c> or <c>Environment.FailFast</c> (see <see cref="MoltOptions.AllowProcessExit"/>).</summary>
    public const string ProcessExit = "MOLT019";

    /// <summary>The module's image could not be loaded.</summary>
    public const string BadImage = "MOLT020";

    /// <summary>Types of the module could not be loaded.</summary>
    public const string TypeLoadFailed = "MOLT021";

    /// <summary>Two exports have the same name.</summary>
    public const string DuplicateExport = "MOLT022";

    /// <summary>An <c>[Export]</c> is on something that cannot be exported.</summary>
    public const string BadExport = "MOLT023";

    /// <summary>A module has more than one <see cref="IModule"/> class.</summary>
    public const string SeveralModuleClasses = "MOLT024";

    /// <summary>The module's <see cref="IModule"/> class could not be created.</summary>
    public const string ModuleClassNotCreatable = "MOLT025";

    /// <summary>A static constructor of the module threw.</summary>
    public const string StaticConstructorThrew = "MOLT026";

    /// <summary>The module's load hook threw.</summary>
    public const string LoadHookThrew = "MOLT027";

    /// <summary>Loading the module (its load hook or static constructors) did not finish within <see cref="MoltOptions.LoadTimeout"/>.</summary>
    public const string LoadTimedOut = "MOLT028";

    /// <summary>An entry point in use would lose its target (export removed, renamed or changed signature).</summary>
    public const string EntryPointLost = "MOLT030";

    /// <summary>An entry point now uses its fallback.</summary>
    public const string EntryPointFellBack = "MOLT031";

    /// <summary>A preparer the host added to an entry point (<see cref="ServiceEntryPoint{TService}.AddPreparer"/>) threw on the new generation's target.</summary>
    public const string EntryPointPreparationFailed = "MOLT032";

    /// <summary>A retiring generation's unload hook failed or timed out.</summary>
    public const string UnloadHookFailed = "MOLT040";

    /// <summary>The serving generation's handover hook failed; the new generation got no handover.</summary>
    public const string HandoverHookFailed = "MOLT041";

    /// <summary>A <c>MetadataUpdateHandler</c>'s <c>ClearCache</c> or <c>UpdateApplication</c>, called when a generation retired, threw (a warning).</summary>
    public const string MetadataUpdateHandlerFailed = "MOLT042";

    /// <summary>Persistent state could not be migrated into the new generation's types.</summary>
    public const string StateNotMigrated = "MOLT050";

    /// <summary>A persistent value was reset to its initial value (its policy is <see cref="MigrationFailurePolicy.Reset"/>).</summary>
    public const string StateReset = "MOLT051";

    /// <summary>A <c>[StateMigration]</c> method is malformed, or two migrate from the same type.</summary>
    public const string BadStateMigration = "MOLT052";

    /// <summary>A persistent value lost members, with their values, that the new types no longer have.</summary>
    public const string StateMembersRemoved = "MOLT053";

    /// <summary>A persistent value was dropped with its content: on purpose (<c>DropState</c>), or because no code asks for it any more and it could not be migrated.</summary>
    public const string StateDropped = "MOLT054";

    /// <summary>A <c>[Persistent]</c> is on something that cannot be persistent (an instance field, a property with a body, a member of a generic type).</summary>
    public const string BadPersistentStatic = "MOLT055";

    /// <summary>The state snapshot could not be read; the process started with initial values.</summary>
    public const string SnapshotUnreadable = "MOLT060";

    /// <summary>An internal error; the reload failed cleanly and the next one can succeed. Please report it.</summary>
    public const string InternalError = "MOLT099";

    private static readonly FrozenDictionary<string, string> s_summaries = new Dictionary<string, string>
    {
        [ModuleDirectoryMissing] = "a module directory is missing",
        [NotAModule] = "a path is not a module",
        [DuplicateModuleName] = "two modules have the same name",
        [FileTooLarge] = "a file is too large",
        [FileUnreadable] = "a file could not be read",
        [OutsideModuleRoot] = "a path leads outside its module root",
        [EmptySource] = "a source file is empty",
        [FilesUnstable] = "files kept changing while they were read",
        [BadPackageReference] = "a [PackageReference] is wrong",
        [BinarySource] = "a source file is binary",
        [NotUtf8] = "a source file is not UTF-8",
        [NotAnAssembly] = "a .dll is not a .NET assembly",
        [DependencyCycle] = "modules depend on each other in a cycle",
        [BadDependency] = "a [DependsOn] is wrong",
        [DependencyRemoved] = "a dependency was removed",
        [DependencyFailed] = "a dependency failed",
        [CompilerFailed] = "the compiler failed",
        [NestedTooDeeply] = "brackets are nested too deeply",
        [ProcessExit] = "a call would end the process",
        [BadImage] = "the assembly could not be loaded",
        [TypeLoadFailed] = "types could not be loaded",
        [DuplicateExport] = "two exports have the same name",
        [BadExport] = "an [Export] is misplaced",
        [SeveralModuleClasses] = "more than one IModule class",
        [ModuleClassNotCreatable] = "the IModule class could not be created",
        [StaticConstructorThrew] = "a static constructor threw",
        [LoadHookThrew] = "the load hook threw",
        [LoadTimedOut] = "loading timed out",
        [PackageNotResolved] = "a package could not be resolved",
        [EntryPointLost] = "an entry point in use would lose its target",
        [EntryPointFellBack] = "an entry point fell back",
        [EntryPointPreparationFailed] = "a host preparer of an entry point threw on the new generation",
        [UnloadHookFailed] = "an unload hook failed",
        [HandoverHookFailed] = "a handover hook failed",
        [MetadataUpdateHandlerFailed] = "a metadata update handler failed",
        [StateNotMigrated] = "persistent state cannot be migrated",
        [StateReset] = "persistent state was reset",
        [BadStateMigration] = "a [StateMigration] method is wrong",
        [StateMembersRemoved] = "persistent state lost members",
        [StateDropped] = "persistent state was dropped",
        [BadPersistentStatic] = "a [Persistent] is misplaced",
        [SnapshotUnreadable] = "the state snapshot is unreadable",
        [InternalError] = "internal error",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Gets every id Molt reports, in order.</summary>
    public static IReadOnlyList<string> All { get; } = [.. s_summaries.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Gets a short summary of what <paramref name="id"/> means (<c>a source file is binary</c>), as used in a failed reload's <see cref="ReloadResult.Error"/>.</summary>
    /// <param name="id">A Molt diagnostic id.</param>
    /// <returns>The summary, or <see langword="null"/> if the id is not Molt's.</returns>
    public static string? Summary(string id) => s_summaries.GetValueOrDefault(id);
}
