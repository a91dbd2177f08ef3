namespace Molt;

/// <summary>
/// The optional lifecycle of a module. A module has at most one public class implementing it,
/// with a public parameterless constructor; the engine creates one instance per generation.
/// </summary>
/// <remarks>
/// The order within a reload is: the new generation is compiled and loaded; the previous
/// generation's <see cref="OnHandover"/> runs (it is still serving and must keep serving); the new
/// generation's <see cref="OnLoadAsync"/> runs and sees the handover data; all entry points switch
/// at once; the previous generation's <see cref="OnUnloadAsync"/> runs; it is unloaded. If
/// anything before the switch fails, the new generation is discarded and the previous one keeps
/// serving as though nothing happened.
/// </remarks>
public interface IModule
{
    /// <summary>
    /// Initialises a new generation before any entry point reaches it. Throwing (or exceeding the
    /// engine's load timeout) cancels the whole reload: the previous generation keeps serving.
    /// </summary>
    /// <param name="context">The generation's context. Registrations made through it are undone when the generation is retired.</param>
    /// <returns>A task that completes when the generation is ready.</returns>
    ValueTask OnLoadAsync(IModuleContext context) => ValueTask.CompletedTask;

    /// <summary>
    /// Called on the serving generation just before its successor's <see cref="OnLoadAsync"/>, to
    /// hand data over (available there as <see cref="IModuleContext.Handover"/>). The generation is
    /// still serving and, if the successor fails to load, goes on serving: capture, do not stop.
    /// </summary>
    /// <param name="context">The serving generation's context.</param>
    /// <returns>The data to hand over; use host or framework types, or persistent state, for anything typed by the module.</returns>
    object? OnHandover(IModuleContext context) => null;

    /// <summary>
    /// Called when the generation is retired, after its successor took over (or the module was
    /// removed). Exceptions and timeouts are reported and do not affect the successor.
    /// </summary>
    /// <param name="context">The retiring generation's context; its <see cref="IModuleContext.Retired"/> token has fired.</param>
    /// <returns>A task that completes when the generation has released what it holds.</returns>
    ValueTask OnUnloadAsync(IModuleContext context) => ValueTask.CompletedTask;
}
