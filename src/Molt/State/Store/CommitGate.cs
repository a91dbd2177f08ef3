namespace Molt.State;

/// <summary>
/// Lets slot writers run side by side while keeping them all out during the instant a reload commits,
/// so every slot's staged value is published together and no write slips between re-check and publish.
/// </summary>
/// <remarks>
/// Recursive: a write may happen inside another (an <c>Update</c> that writes another slot), and code
/// the commit runs (a custom migration) may write too.
/// </remarks>
internal sealed class CommitGate : IDisposable
{
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.SupportsRecursion);

    public Scope EnterWriter()
    {
        _lock.EnterReadLock();
        return new Scope(_lock, exclusive: false);
    }

    public Scope EnterCommit()
    {
        _lock.EnterWriteLock();
        return new Scope(_lock, exclusive: true);
    }

    public void Dispose() => _lock.Dispose();

    /// <summary>Leaves the gate when disposed.</summary>
    internal readonly ref struct Scope(ReaderWriterLockSlim gate, bool exclusive)
    {
        public void Dispose()
        {
            if (exclusive)
            {
                gate.ExitWriteLock();
            }
            else
            {
                gate.ExitReadLock();
            }
        }
    }
}
