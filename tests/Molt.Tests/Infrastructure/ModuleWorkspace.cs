using Microsoft.Extensions.Logging.Abstractions;

namespace Molt.Tests.Infrastructure;

/// <summary>A temporary module directory with real files, and engines started on it.</summary>
internal sealed class ModuleWorkspace : IAsyncDisposable
{
    private readonly List<MoltEngine> _engines = [];

    public ModuleWorkspace()
    {
        Root = Path.Combine(Path.GetTempPath(), "molt-tests", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string PathOf(string relative) => Path.Combine(Root, relative);

    public string Write(string relative, string content)
    {
        var path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    public void Delete(string relative)
    {
        var path = PathOf(relative);
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
        else
        {
            File.Delete(path);
        }
    }

    /// <summary>Creates an engine on the workspace with test-friendly verification timings.</summary>
    public MoltEngine CreateEngine(Action<MoltOptions>? configure = null)
    {
        var options = new MoltOptions
        {
            UnloadVerificationTimeout = TimeSpan.FromSeconds(3),
            UnloadVerificationCollections = 10,
        };
        options.ModuleDirectories.Add(Root);
        configure?.Invoke(options);
        var engine = new MoltEngine(options, NullLoggerFactory.Instance);
        _engines.Add(engine);
        return engine;
    }

    public async Task<MoltEngine> StartAsync(Action<MoltOptions>? configure = null)
    {
        var engine = CreateEngine(configure);
        await engine.StartAsync().WaitAsync(TestTimeouts.Reload);
        return engine;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var engine in _engines)
        {
            await engine.DisposeAsync();
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
