namespace Molt;

/// <summary>
/// What a module generation knows about itself and the host, and the place to register anything
/// that must be undone when the generation is retired (so handlers never pile up over reloads).
/// </summary>
public interface IModuleContext
{
    /// <summary>Gets the module's name (its file or folder name without extension).</summary>
    string ModuleName { get; }

    /// <summary>Gets the module's generation: 1 for its first load in this process, then one more per reload of this module.</summary>
    int Generation { get; }

    /// <summary>Gets a value indicating whether this is the first time this module loads in this process.</summary>
    bool IsFirstLoad { get; }

    /// <summary>Gets the data handed over by the previous generation's <see cref="IModule.OnHandover"/>, if any.</summary>
    object? Handover { get; }

    /// <summary>Gets a token that fires when this generation is retired (replaced, removed, or the engine stops).</summary>
    CancellationToken Retired { get; }

    /// <summary>Gets the host's services.</summary>
    IServiceProvider Services { get; }

    /// <summary>Gets the full paths of the files this generation was built from.</summary>
    IReadOnlyList<string> Files { get; }

    /// <summary>Registers a resource that is disposed when this generation is retired (last registered, first disposed).</summary>
    /// <param name="resource">The resource to dispose.</param>
    void Register(IDisposable resource);

    /// <summary>
    /// Adds <paramref name="handler"/> to a host hook. It becomes active when this generation
    /// takes over (never before, so a generation that fails to load never runs it) and is removed
    /// when the generation is retired.
    /// </summary>
    /// <typeparam name="T">The hook's delegate type.</typeparam>
    /// <param name="hook">The host's hook.</param>
    /// <param name="handler">The handler to add.</param>
    void Attach<T>(Hook<T> hook, T handler)
        where T : Delegate;

    /// <summary>
    /// Creates a timer owned by this generation. It starts when the generation takes over and is
    /// disposed when the generation is retired.
    /// </summary>
    /// <param name="callback">The callback; exceptions it throws are reported and do not stop the timer.</param>
    /// <param name="dueTime">The delay before the first call.</param>
    /// <param name="period">The interval between calls, or <see cref="Timeout.InfiniteTimeSpan"/> for one call.</param>
    void StartTimer(Action callback, TimeSpan dueTime, TimeSpan period);

    /// <summary>
    /// Gets this module's persistent value named <paramref name="name"/>, creating it with
    /// <paramref name="initialValue"/> the first time in this process. The value survives reloads;
    /// when its type is defined by the module, it is migrated into the new generation's type.
    /// </summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="name">The name, unique within this module.</param>
    /// <param name="initialValue">Creates the first value; runs once per process (or after a reset).</param>
    /// <param name="onMigrationFailure">What a reload does when the value cannot be migrated.</param>
    /// <returns>A handle to read and write the value, safe to use from any thread.</returns>
    IPersistentState<T> State<T>(string name, Func<T> initialValue, MigrationFailurePolicy onMigrationFailure = MigrationFailurePolicy.FailReload);

    /// <summary>
    /// Gets a persistent value shared by every module that names it, as <see cref="State{T}"/>
    /// does for one module. Its type should come from the host or a contract assembly.
    /// </summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="name">The name, unique among shared values.</param>
    /// <param name="initialValue">Creates the first value; runs once per process.</param>
    /// <param name="onMigrationFailure">What a reload does when the value cannot be migrated.</param>
    /// <returns>A handle to read and write the value, safe to use from any thread.</returns>
    IPersistentState<T> SharedState<T>(string name, Func<T> initialValue, MigrationFailurePolicy onMigrationFailure = MigrationFailurePolicy.FailReload);

    /// <summary>
    /// Drops this module's persistent value named <paramref name="name"/>, with its content: the
    /// remedy for a value that can no longer be migrated and is not wanted any more. Called from
    /// the load hook of a generation being loaded by a reload, the value is dropped when that
    /// reload commits (and its migration, failed or not, does not count); called afterwards, at
    /// once. Handles to the value stop working; asking for it again gives its initial value. The
    /// reload reports the drop (MOLT054).
    /// </summary>
    /// <param name="name">The value's name.</param>
    void DropState(string name);
}
