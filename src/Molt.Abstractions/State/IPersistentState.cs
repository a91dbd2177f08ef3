namespace Molt;

/// <summary>A value owned by the host that survives reloads. Safe to read and write from any thread.</summary>
/// <typeparam name="T">The value's type.</typeparam>
public interface IPersistentState<T>
{
    /// <summary>Gets the value's name.</summary>
    string Name { get; }

    /// <summary>Gets or sets the value.</summary>
    T Value { get; set; }

    /// <summary>Atomically replaces the value with the result of <paramref name="update"/> (which may run more than once under contention).</summary>
    /// <param name="update">Computes the new value from the current one; it should have no side effects.</param>
    /// <returns>The new value.</returns>
    T Update(Func<T, T> update);
}
