using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Molt.Hosting;

namespace Molt.AspNetCore.Tests;

/// <summary>A temporary module directory and a real Kestrel web application running Molt on it.</summary>
internal sealed class WebWorkspace : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private WebApplication? _app;

    public WebWorkspace()
    {
        Root = Path.Combine(Path.GetTempPath(), "molt-aspnetcore-tests", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public MoltEngine Engine => _app!.Services.GetRequiredService<MoltEngine>();

    public HttpClient Client { get; private set; } = null!;

    public string Write(string relative, string content)
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    public void Delete(string relative) => File.Delete(Path.Combine(Root, relative));

    /// <summary>Starts Kestrel on a free loopback port with Molt on the workspace (reloads only when a test asks).</summary>
    /// <param name="pipeline">Maps the application's middleware and routes.</param>
    /// <param name="services">Adds services.</param>
    public async Task StartAsync(Action<WebApplication> pipeline, Action<IServiceCollection>? services = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = Root });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        services?.Invoke(builder.Services);
        builder.Services.AddMolt(o =>
        {
            o.Engine.ModuleDirectories.Add(Root);
            o.Engine.UnloadVerificationTimeout = TimeSpan.FromSeconds(5);
            o.Engine.DrainTimeout = TimeSpan.FromSeconds(30);
            o.WatchFiles = false;
            o.Polling = PollingMode.Off;
            o.ReloadOnSignals = false;
            o.EnableControlChannel = false;
        });
        _app = builder.Build();
        pipeline(_app);
        await _app.StartAsync().WaitAsync(Timeout);
        var address = _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        Client = new HttpClient { BaseAddress = new Uri(address), Timeout = Timeout };
    }

    /// <summary>Reloads and asserts the outcome.</summary>
    public async Task<ReloadResult> ReloadAsync(bool succeeds = true)
    {
        var result = await Engine.ReloadAsync().WaitAsync(Timeout);
        Assert.True(succeeds == result.Succeeded, string.Join("\n", result.Errors));
        return result;
    }

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync().WaitAsync(Timeout);
            await _app.DisposeAsync();
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
