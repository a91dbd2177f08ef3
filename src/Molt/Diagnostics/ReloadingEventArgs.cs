namespace Molt;

/// <summary>Says a reload is starting.</summary>
/// <param name="trigger">What started it.</param>
public sealed class ReloadingEventArgs(string trigger) : EventArgs
{
    /// <summary>Gets what started the reload.</summary>
    public string Trigger { get; } = trigger;

    /// <summary>Gets <c>reloading (watcher)</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"reloading ({Trigger})";
}
