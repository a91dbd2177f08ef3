using System.Collections.Immutable;
using Molt.Loading;

namespace Molt.Reloading;

/// <summary>
/// The generations serving now, and what the engine remembers of every module it ever loaded (its
/// last generation number, whether it was loaded before). Changed only by a reload's switch, under
/// the engine's reload gate; read by anyone.
/// </summary>
internal sealed class LiveModules
{
    private readonly Dictionary<string, int> _numbers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _assigned = new(StringComparer.Ordinal);
    private ImmutableDictionary<string, Generation> _current = ImmutableDictionary<string, Generation>.Empty.WithComparers(StringComparer.Ordinal);
    private int _engineGeneration;

    /// <summary>Gets an immutable view of the serving generations, by module.</summary>
    public ImmutableDictionary<string, Generation> Current => Volatile.Read(ref _current);

    /// <summary>Gets the engine's generation: one more per switch.</summary>
    public int EngineGeneration => Volatile.Read(ref _engineGeneration);

    /// <summary>
    /// The number the module's next generation gets. A generation a failed reload discarded keeps
    /// its number, so a number names one generation only ("core#2 leaked" is never ambiguous).
    /// </summary>
    public int NextNumber(string module) => _assigned.GetValueOrDefault(module) + 1;

    /// <summary>Takes the module's next number for a generation being loaded.</summary>
    public int TakeNumber(string module)
    {
        var number = NextNumber(module);
        _assigned[module] = number;
        return number;
    }

    /// <summary>
    /// Keeps the numbers a failed reload gave its modules (in its result), also those it never
    /// loaded (a compile error), so the next good generation never has a number a failure showed.
    /// </summary>
    public void Reserve(IEnumerable<ModuleChange> changes)
    {
        foreach (var change in changes.Where(c => c.Kind != ModuleChangeKind.Removed))
        {
            _assigned[change.Module] = Math.Max(_assigned.GetValueOrDefault(change.Module), change.Generation);
        }
    }

    /// <summary>Gets the last reload that switched; <see langword="null"/> before the first.</summary>
    public AppliedReload? LastApplied { get; private set; }

    /// <summary>Notes the reload that just switched.</summary>
    public void Applied(string trigger, DateTimeOffset at) => LastApplied = new AppliedReload(EngineGeneration, trigger, at);

    /// <summary>Whether a generation of the module ever served in this process (<see cref="IModuleContext.IsFirstLoad"/>).</summary>
    public bool WasLoaded(string module) => _numbers.ContainsKey(module);

    /// <summary>Makes <paramref name="fresh"/> the serving generations of their modules and drops <paramref name="removed"/>.</summary>
    public void Switch(IEnumerable<string> removed, IReadOnlyList<Generation> fresh)
    {
        foreach (var generation in fresh)
        {
            _numbers[generation.Module] = generation.Number;
            _assigned[generation.Module] = Math.Max(_assigned.GetValueOrDefault(generation.Module), generation.Number);
        }

        Volatile.Write(ref _current, Current.RemoveRange(removed).SetItems(fresh.Select(g => KeyValuePair.Create(g.Module, g))));
        Interlocked.Increment(ref _engineGeneration);
    }

    /// <summary>Empties the set (the engine stops) and returns what served.</summary>
    public ImmutableDictionary<string, Generation> TakeAll() => Interlocked.Exchange(ref _current, _current.Clear());

    /// <summary>Orders <paramref name="subset"/> dependencies first, as loaded.</summary>
    public static IEnumerable<Generation> InLoadOrder(IEnumerable<Generation> subset, ImmutableDictionary<string, Generation> live)
    {
        var graph = new DependencyGraph(live.ToDictionary(g => g.Key, g => g.Value.Dependencies, StringComparer.Ordinal), m => live[m].Source.Order);
        var sorted = graph.Sort(out var cycle);
        var set = subset.ToHashSet();
        return sorted.Concat(cycle).Select(m => live[m]).Where(set.Contains);
    }
}
