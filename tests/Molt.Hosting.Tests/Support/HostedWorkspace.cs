using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Molt.Hosting.Tests;

/// <summary>A temporary module directory and a Generic Host running Molt on it.</summary>
internal sealed class HostedWorkspace : IAsyncDisposable
{
    private IHost? _host;

    public HostedWorkspace()
    {
        Root = Path.Combine(Path.GetTempPath(), "molt-hosting-tests", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public MoltEngine Engine => _host!.Services.GetRequiredService<MoltEngine>();

    public IServiceProvider Services => _host!.Services;

    public ReloadLog Log { get; private set; } = null!;

    public string PathOf(string relative) => Path.Combine(Root, relative);

    public string Write(string relative, string content)
    {
        var path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>Starts a host with Molt on the workspace; signals and the control channel are off unless configured.</summary>
    public async Task StartAsync(Action<MoltHostingOptions>? configure = null, Action<IServiceCollection>? services = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        services?.Invoke(builder.Services);
        builder.Services.AddMolt(o =>
        {
            o.Engine.ModuleDirectories.Add(Root);
            o.Engine.UnloadVerificationTimeout = TimeSpan.FromSeconds(3);
            o.ReloadOnSignals = false;
            o.EnableControlChannel = false;
            configure?.Invoke(o);
        });
        _host = builder.Build();
        Log = new ReloadLog(_host.Services.GetRequiredService<MoltEngine>());
        await _host.StartAsync().WaitAsync(TestTimeouts.Reload);
    }

    public async Task StopAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync().WaitAsync(TestTimeouts.Reload);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync().WaitAsync(TestTimeouts.Reload);
            _host.Dispose();
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
