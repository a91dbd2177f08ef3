using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Molt.Hosting.Control;
using Molt.Hosting.HotRestart;
using Molt.Hosting.Triggers;

namespace Molt.Hosting;

/// <summary>Registers Molt in a Generic Host.</summary>
public static class MoltServiceCollectionExtensions
{
    /// <summary>
    /// Registers the engine as a hosted service: it loads every module when the host starts (the
    /// host does not start if that fails), reloads on the configured triggers, serves the control
    /// channel, and retires every generation when the host stops. <see cref="MoltEngine"/> is
    /// registered as a singleton for the host to take entry points from, and
    /// <see cref="MoltHostStatus"/> to say what runs; modules resolve the host's services through
    /// <see cref="IModuleContext.Services"/>.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configure">Configures the modules and the triggers.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IServiceCollection AddMolt(this IServiceCollection services, Action<MoltHostingOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return AddMolt(services, options => options.Configure(configure));
    }

    /// <summary>
    /// Registers Molt as <see cref="AddMolt(IServiceCollection, Action{MoltHostingOptions})"/> does,
    /// with its options bound from configuration (for example the section <c>Molt</c> of
    /// <c>appsettings.json</c>: <c>"Molt": { "Engine": { "ModuleDirectories": [ "modules" ] }, "PollingInterval": "00:00:01" }</c>),
    /// then <paramref name="configure"/> if given. Invalid options stop the host at start.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configuration">The section holding <see cref="MoltHostingOptions"/>.</param>
    /// <param name="configure">Configures what configuration cannot say (services, a clock), or <see langword="null"/>.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configuration"/> is <see langword="null"/>.</exception>
    public static IServiceCollection AddMolt(this IServiceCollection services, Microsoft.Extensions.Configuration.IConfiguration configuration, Action<MoltHostingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return AddMolt(services, options =>
        {
            options.Bind(configuration);
            if (configure is not null)
            {
                options.Configure(configure);
            }
        });
    }

    /// <summary>
    /// Adds hot restart to <see cref="AddMolt(IServiceCollection, Action{MoltHostingOptions})"/>:
    /// <c>molt restart</c> (and <c>SIGUSR2</c>) starts a new process of the host with the same
    /// command line, hands it the listening sockets registered through
    /// <see cref="IHotRestartListeners"/> and the persistent state (a snapshot), and once it is ready
    /// this process stops accepting, finishes its requests (within
    /// <see cref="HotRestartOptions.DrainTimeout"/>, by default the host's shutdown timeout) and exits. A new process that exits or is not ready within
    /// <see cref="HotRestartOptions.ReadyTimeout"/> is killed and this one goes on serving.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configure">Configures the timeout and the signal, or <see langword="null"/> for the defaults.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    public static IServiceCollection AddMoltHotRestart(this IServiceCollection services, Action<HotRestartOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<HotRestartOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.Validate(o =>
        {
            o.Validate();
            return true;
        }).ValidateOnStart();
        services.TryAddSingleton(sp => new HandoverSource(HandoverReceiver.FromEnvironment(HostingLogger(sp))));
        services.TryAddSingleton(sp => new HotRestartListeners(
            sp.GetRequiredService<HandoverSource>().Receiver,
            sp.GetRequiredService<IOptions<HotRestartOptions>>().Value,
            HostingLogger(sp)));
        services.TryAddSingleton<IHotRestartListeners>(sp => sp.GetRequiredService<HotRestartListeners>());
        services.TryAddSingleton<IHotRestartConnections>(sp => sp.GetRequiredService<HotRestartListeners>().Connections);
        services.TryAddSingleton(sp => new HotRestarter(
            sp.GetRequiredService<MoltEngine>(),
            sp.GetRequiredService<HotRestartListeners>(),
            sp.GetRequiredService<IOptions<HotRestartOptions>>().Value,
            sp.GetRequiredService<IHostApplicationLifetime>(),
            HostingLogger(sp))
        {
            // The very instance the host reads its shutdown timeout from when it stops.
            HostOptions = sp.GetService<IOptions<HostOptions>>()?.Value,
        });
        services.TryAddSingleton<IHotRestarter>(sp => sp.GetRequiredService<HotRestarter>());
        services.AddHostedService(sp => new HotRestartService(
            sp.GetRequiredService<HotRestarter>(),
            sp.GetRequiredService<HandoverSource>().Receiver,
            sp.GetRequiredService<IOptions<HotRestartOptions>>().Value,
            sp.GetRequiredService<IHostApplicationLifetime>(),
            HostingLogger(sp)));
        return services;
    }

    private static ILogger HostingLogger(IServiceProvider services) =>
        (services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger("Molt.Hosting");

    private static IServiceCollection AddMolt(IServiceCollection services, Action<OptionsBuilder<MoltHostingOptions>> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<MoltHostingOptions>();
        configure(options);
        options.Validate(o =>
        {
            o.Validate();
            return true;
        }).ValidateOnStart();
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<MoltHostingOptions>>().Value;
            options.Engine.Services ??= sp;
            options.Engine.MeterFactory ??= sp.GetService<IMeterFactory>();
            if (options.UseCompilationCache)
            {
                options.Engine.CompilationCachePath ??= MoltOptions.DefaultCompilationCachePath;
            }

            // Started by a hot restart: restore the state the old process handed over.
            sp.GetService<HandoverSource>()?.Receiver?.PrepareState(options.Engine);
            return new MoltEngine(options.Engine, sp.GetService<ILoggerFactory>());
        });
        services.TryAddSingleton(sp => new HostingMetrics(sp.GetService<IMeterFactory>()));
        services.TryAddSingleton(sp => new ReloadScheduler(
            sp.GetRequiredService<MoltEngine>(),
            sp.GetRequiredService<IOptions<MoltHostingOptions>>().Value,
            (sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger("Molt.Hosting"),
            sp.GetRequiredService<HostingMetrics>()));
        services.TryAddSingleton(sp => new MoltHostStatus(sp.GetRequiredService<ReloadScheduler>()));
        // The concrete type, not IControlHandler: a host may register its own handler for another channel.
        services.TryAddSingleton(sp => new EngineControlHandler(sp.GetRequiredService<MoltEngine>(), sp.GetRequiredService<IHostApplicationLifetime>(), sp.GetService<HotRestarter>()));
        services.TryAddSingleton(sp => new MoltHostedService(
            sp.GetRequiredService<MoltEngine>(),
            sp.GetRequiredService<IOptions<MoltHostingOptions>>(),
            sp.GetRequiredService<EngineControlHandler>(),
            sp.GetRequiredService<MoltHostStatus>(),
            sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance)
        {
            // With hot restart, a control channel at a fixed address is passed on to the new process.
            Handover = sp.GetService<HotRestartListeners>(),
        });
        services.AddHostedService(sp => sp.GetRequiredService<MoltHostedService>());
        return services;
    }
}
