using Microsoft.Extensions.Logging;
using Molt.Tests.Infrastructure;

namespace Molt.Tests.Engine;

/// <summary>What the engine logs when a load fails: whether something still serves.</summary>
public sealed class ReloadLogTests
{
    [Fact]
    public async Task AFailedFirstLoadIsLoggedAsNothingServingAndALaterFailureNamesTheGenerationThatServes()
    {
        await using var workspace = new ModuleWorkspace();
        var path = workspace.Write("app.cs", "public static class App { [Export] public static int One() => ; }");
        var log = new RecordingLoggerFactory();
        var options = new MoltOptions();
        options.ModuleDirectories.Add(workspace.Root);
        await using var engine = new MoltEngine(options, log);

        await Assert.ThrowsAsync<MoltReloadException>(() => engine.StartAsync().WaitAsync(TestTimeouts.Reload));
        var first = Assert.Single(log.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("failed", StringComparison.Ordinal));
        Assert.Equal((1004, "Load failed (start): compile errors in app; nothing is serving"), (first.EventId, first.Message));

        File.WriteAllText(path, "public static class App { [Export] public static int One() => 1; }");
        Assert.True((await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload)).Succeeded);
        File.WriteAllText(path, "public static class App { [Export] public static int One() => ; }");
        Assert.False((await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload)).Succeeded);

        var later = log.Entries.Last(e => e.Level == LogLevel.Error && e.Message.Contains("failed", StringComparison.Ordinal));
        Assert.Equal((1002, "Reload failed (api): compile errors in app; generation 1 keeps serving"), (later.EventId, later.Message));
        Assert.DoesNotContain(log.Entries, e => e.Message.Contains("generation 0", StringComparison.Ordinal));
    }

    private sealed class RecordingLoggerFactory : ILoggerFactory, ILogger
    {
        private readonly Lock _gate = new();
        private readonly List<(int EventId, LogLevel Level, string Message)> _entries = [];

        public IReadOnlyList<(int EventId, LogLevel Level, string Message)> Entries
        {
            get
            {
                lock (_gate)
                {
                    return [.. _entries];
                }
            }
        }

        public ILogger CreateLogger(string categoryName) => this;

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public void Dispose()
        {
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_gate)
            {
                _entries.Add((eventId.Id, logLevel, formatter(state, exception)));
            }
        }
    }
}
