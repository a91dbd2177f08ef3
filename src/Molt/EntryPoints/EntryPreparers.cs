namespace Molt.EntryPoints;

/// <summary>
/// What the host runs on each new target of an entry point during a reload, before the switch (for
/// example, building a module's HTTP routes): a preparer that throws fails the reload like a load
/// hook, and the serving generation keeps serving.
/// </summary>
internal sealed class EntryPreparers
{
    private readonly Lock _gate = new();
    private Action<object>[] _preparers = [];

    public void Add(Action<object> preparer)
    {
        lock (_gate)
        {
            _preparers = [.. _preparers, preparer];
        }
    }

    /// <summary>Runs every preparer on <paramref name="target"/>.</summary>
    /// <returns>The first failure, or <see langword="null"/>.</returns>
    public Exception? Run(object target)
    {
        foreach (var preparer in Volatile.Read(ref _preparers))
        {
            try
            {
                preparer(target);
            }
            catch (Exception ex)
            {
                return ex;
            }
        }

        return null;
    }
}
