using Molt.Control;

namespace Molt.Hosting;

/// <summary>
/// Starts a hot restart from code, as <c>molt restart</c> and <c>SIGUSR2</c> do. Registered by
/// <see cref="MoltServiceCollectionExtensions.AddMoltHotRestart"/>.
/// </summary>
public interface IHotRestarter
{
    /// <summary>
    /// Starts a new process of the host, hands it the listeners and the state, and waits until it
    /// is ready; on success this process then stops (its servers drain) and exits. Never throws for
    /// a failed restart: the reply says why, and this process goes on serving.
    /// </summary>
    /// <param name="cancellationToken">Abandons the restart: the new process is killed.</param>
    /// <returns>What <c>molt restart --json</c> prints: <see cref="RestartReply.Ok"/>, the new process's id, or the error.</returns>
    Task<RestartReply> RestartAsync(CancellationToken cancellationToken = default);
}
