using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Molt.Hosting.Tests;

/// <summary>Molt's options from configuration (appsettings.json, environment variables), checked when the host starts.</summary>
public sealed class ConfigurationTests
{
    [Fact]
    public async Task OptionsBoundFromASectionRunTheModulesAndCodeConfiguresWhatConfigurationCannot()
    {
        var root = Directory.CreateTempSubdirectory("molt-config").FullName;
        File.WriteAllText(Path.Combine(root, "calc.cs"), Modules.Calc("a + b"));
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Molt:Engine:ModuleDirectories:0"] = root,
            ["Molt:Engine:LoadTimeout"] = "00:00:20",
            ["Molt:WatchFiles"] = "false",
            ["Molt:Polling"] = "Always",
            ["Molt:PollingInterval"] = "00:00:00.250",
            ["Molt:ReloadOnSignals"] = "false",
        });
        var configuredInCode = false;
        builder.Services.AddMolt(builder.Configuration.GetSection("Molt"), o =>
        {
            o.EnableControlChannel = false;
            configuredInCode = true;
        });
        using var host = builder.Build();
        await host.StartAsync().WaitAsync(TestTimeouts.Reload);

        var options = host.Services.GetRequiredService<IOptions<MoltHostingOptions>>().Value;
        Assert.True(configuredInCode);
        Assert.Equal([root], options.Engine.ModuleDirectories);
        Assert.Equal(TimeSpan.FromSeconds(20), options.Engine.LoadTimeout);
        Assert.Equal((false, PollingMode.Always, TimeSpan.FromMilliseconds(250)), (options.WatchFiles, options.Polling, options.PollingInterval));
        var status = host.Services.GetRequiredService<MoltHostStatus>();
        Assert.True(status.StartResult is { Succeeded: true });
        Assert.True(status.IsPolling);
        Assert.False(status.IsWatching);
        Assert.Equal(5, host.Services.GetRequiredService<MoltEngine>().GetEntryPoint<Func<int, int, int>>("calc", "Add").Current(2, 3));
        await host.StopAsync().WaitAsync(TestTimeouts.Reload);
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public async Task InvalidOptionsFromConfigurationStopTheHostAtStartBeforeAnyModuleLoads()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Molt:Engine:ModuleDirectories:0"] = Path.GetTempPath(),
            ["Molt:PollingInterval"] = "-00:00:01",
            ["Molt:EnableControlChannel"] = "false",
        });
        builder.Services.AddMolt(builder.Configuration.GetSection("Molt"));
        using var host = builder.Build();

        var error = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync().WaitAsync(TestTimeouts.Reload));

        Assert.Contains("PollingInterval must be positive", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, null, true)]
    [InlineData(false, null, false)]
    [InlineData(true, "mine", false)]
    public void TheCompilationCacheIsOnByDefaultAndAnExplicitPathOrOptingOutWins(bool useCache, string? path, bool expectDefault)
    {
        var modules = Directory.CreateTempSubdirectory("molt-config-modules").FullName;
        var explicitPath = path is null ? null : Path.Combine(Path.GetTempPath(), "molt-config-cache-" + path);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddMolt(o =>
        {
            o.Engine.ModuleDirectories.Add(modules);
            o.EnableControlChannel = false;
            o.UseCompilationCache = useCache;
            o.Engine.CompilationCachePath = explicitPath;
        });
        using var host = builder.Build();

        var configured = host.Services.GetRequiredService<MoltEngine>().Options.CompilationCachePath;

        Assert.Equal(expectDefault ? MoltOptions.DefaultCompilationCachePath : explicitPath, configured);
        Directory.Delete(modules);
    }
}
