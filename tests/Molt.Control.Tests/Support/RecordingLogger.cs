using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Molt.Control.Tests;

/// <summary>Keeps the event ids and messages the server logs.</summary>
internal sealed class RecordingLogger : ILogger<ControlServer>
{
    public ConcurrentQueue<(int EventId, string Message)> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Enqueue((eventId.Id, formatter(state, exception)));
}
