namespace Molt;

/// <summary>The last reload that changed what serves: a reload that finds nothing to do says when and by what it was applied.</summary>
/// <param name="Generation">The engine's generation it made.</param>
/// <param name="Trigger">What started it (<c>start</c>, <c>watcher</c>, <c>control</c>…).</param>
/// <param name="AppliedAt">When its switch was done, by <see cref="MoltOptions.TimeProvider"/>.</param>
public sealed record AppliedReload(int Generation, string Trigger, DateTimeOffset AppliedAt);
