using System.Collections.Immutable;

namespace Molt.Reloading;

/// <summary>The modules and what each depends on; gives load order and the dependents of a change.</summary>
internal sealed class DependencyGraph(IReadOnlyDictionary<string, ImmutableArray<string>> dependencies, Func<string, int> order)
{
    /// <summary>
    /// Orders every module after its dependencies, breaking ties by file-name order. Modules in a
    /// cycle cannot be ordered: they are returned in <paramref name="cycle"/>.
    /// </summary>
    public IReadOnlyList<string> Sort(out IReadOnlyList<string> cycle)
    {
        var remaining = dependencies.ToDictionary(d => d.Key, d => d.Value.Count(dependencies.ContainsKey), StringComparer.Ordinal);
        var dependents = Dependents();
        var ready = new PriorityQueue<string, int>();
        foreach (var (module, count) in remaining)
        {
            if (count == 0)
            {
                ready.Enqueue(module, order(module));
            }
        }

        var sorted = new List<string>(remaining.Count);
        while (ready.TryDequeue(out var module, out _))
        {
            sorted.Add(module);
            foreach (var dependent in dependents.GetValueOrDefault(module, []))
            {
                if (--remaining[dependent] == 0)
                {
                    ready.Enqueue(dependent, order(dependent));
                }
            }
        }

        cycle = [.. remaining.Where(r => r.Value > 0).Select(r => r.Key).OrderBy(order)];
        return sorted;
    }

    /// <summary>The given modules plus every module that depends on them, directly or not.</summary>
    public HashSet<string> WithDependents(IEnumerable<string> modules)
    {
        var dependents = Dependents();
        var result = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(modules);
        while (pending.TryPop(out var module))
        {
            if (result.Add(module))
            {
                foreach (var dependent in dependents.GetValueOrDefault(module, []))
                {
                    pending.Push(dependent);
                }
            }
        }

        return result;
    }

    private Dictionary<string, List<string>> Dependents()
    {
        var dependents = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (module, on) in dependencies)
        {
            foreach (var dependency in on.Distinct(StringComparer.Ordinal))
            {
                if (!dependents.TryGetValue(dependency, out var list))
                {
                    dependents[dependency] = list = [];
                }

                list.Add(module);
            }
        }

        return dependents;
    }
}
