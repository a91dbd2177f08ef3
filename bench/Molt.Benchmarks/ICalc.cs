namespace Molt.Benchmarks;

/// <summary>A host-defined interface the benchmark module implements (a service entry point).</summary>
public interface ICalc
{
    /// <summary>Adds one.</summary>
    /// <param name="x">The input.</param>
    /// <returns><paramref name="x"/> + 1.</returns>
    int Apply(int x);
}

/// <summary>The same code in the host (not collectible): the cost of a plain interface call.</summary>
public sealed class HostCalc : ICalc
{
    /// <inheritdoc/>
    public int Apply(int x) => x + 1;
}
