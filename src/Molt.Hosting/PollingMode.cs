namespace Molt.Hosting;

/// <summary>When Molt polls the module files for changes instead of, or besides, watching them.</summary>
public enum PollingMode
{
    /// <summary>Poll only when file watching was asked for but could not start (for example, out of inotify watches).</summary>
    Fallback = 0,

    /// <summary>Always poll, whether or not files are watched.</summary>
    Always = 1,

    /// <summary>Never poll.</summary>
    Off = 2,
}
