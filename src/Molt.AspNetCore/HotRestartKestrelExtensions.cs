using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Molt.Hosting.HotRestart;

namespace Molt.AspNetCore;

/// <summary>Kestrel endpoints that a hot restart hands over (<see cref="Molt.Hosting.MoltServiceCollectionExtensions.AddMoltHotRestart"/>).</summary>
public static class HotRestartKestrelExtensions
{
    /// <summary>
    /// Makes Kestrel listen on the hot-restart listener <paramref name="name"/>: the socket the
    /// previous process listened on when this one was started by a hot restart, else one bound to
    /// <paramref name="endPoint"/> now. Kestrel gets its own descriptor of it and closes that when it
    /// stops, which leaves the next process's copy listening.
    /// </summary>
    /// <param name="options">Kestrel's options (<c>builder.WebHost.ConfigureKestrel(k => k.ListenHotRestart("http", endPoint))</c>).</param>
    /// <param name="name">The listener's name, which matches it across a restart.</param>
    /// <param name="endPoint">Where to bind when nothing was handed over under <paramref name="name"/>.</param>
    /// <param name="configure">Configures the endpoint (protocols, HTTPS), or <see langword="null"/>.</param>
    /// <returns><paramref name="options"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException"><c>AddMoltHotRestart</c> was not called.</exception>
    public static KestrelServerOptions ListenHotRestart(this KestrelServerOptions options, string name, IPEndPoint endPoint, Action<ListenOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var listeners = options.ApplicationServices.GetService<HotRestartListeners>()
            ?? throw new InvalidOperationException("ListenHotRestart needs services.AddMoltHotRestart().");
        var handle = (ulong)listeners.DuplicateHandle(name, endPoint);
        options.ListenHandle(handle, configure ?? (_ => { }));
        return options;
    }
}
