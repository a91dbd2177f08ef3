namespace Molt.Hosting.HotRestart;

/// <summary>The hand-over this process was started by, if any (a singleton, since the container holds no <see langword="null"/> service).</summary>
internal sealed record HandoverSource(HandoverReceiver? Receiver);
