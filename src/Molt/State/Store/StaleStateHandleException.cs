namespace Molt.State;

/// <summary>
/// A retired generation used its handle to a persistent value after a reload migrated that value to the
/// next generation's type. The write is rejected rather than lost silently or migrated behind the new
/// generation's back: the retired generation should stop (its <see cref="IModuleContext.Retired"/> token has fired).
/// </summary>
internal sealed class StaleStateHandleException(string slot)
    : InvalidOperationException($"The persistent value '{slot}' was migrated to a newer generation; this handle belongs to a retired generation and can no longer read or write it.")
{
    public string Slot { get; } = slot;
}
