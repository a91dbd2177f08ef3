namespace Molt.Tests.State;

/// <summary>
/// One kind of value held in persistent state, and what a reload that migrates it must do: keep
/// it working (checked by behaviour in the new code) or refuse with MOLT050 naming the problem.
/// </summary>
/// <param name="Name">The case, for the test's name.</param>
/// <param name="FieldType">The type of <c>Holder.Value</c>.</param>
/// <param name="Initial">The expression that initialises it.</param>
/// <param name="Check">An expression over <c>v</c> (the value) whose string the test compares, run by the current code.</param>
/// <param name="Expected">What <see cref="Check"/> gives before and after a reload that migrates the value, or <see langword="null"/> when the reload must be refused.</param>
/// <param name="Refusal">A fragment the MOLT050 message must contain when refused.</param>
internal sealed record ValueKindCase(string Name, string FieldType, string Initial, string Check, string? Expected, string? Refusal = null)
{
    /// <summary>Gets a replacement applied to the source of the edit (besides the change that makes <c>Key</c> migrate).</summary>
    public (string From, string To)? Edit { get; init; }

    /// <summary>Gets what <see cref="Check"/> gives after the edit, when it differs from <see cref="Expected"/>.</summary>
    public string? ExpectedAfter { get; init; }

    public override string ToString() => Name;
}
