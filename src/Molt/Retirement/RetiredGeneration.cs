namespace Molt.Retirement;

/// <summary>A retired generation followed by the verifier: only a weak reference to its load context.</summary>
internal sealed class RetiredGeneration(string module, int generation, WeakReference context, DateTimeOffset retiredAt, bool discarded)
{
    public string Module { get; } = module;

    public int Generation { get; } = generation;

    public WeakReference Context { get; } = context;

    public DateTimeOffset RetiredAt { get; } = retiredAt;

    public bool Discarded { get; } = discarded;

    public RetiredStatus Status { get; set; }

    public int Collections { get; set; }

    public RetiredGenerationInfo ToInfo() => new(Module, Generation, RetiredAt, Status, Discarded);
}
