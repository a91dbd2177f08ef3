namespace Molt;

/// <summary>The options only tests set.</summary>
public sealed partial class MoltOptions
{
    /// <summary>Gets or sets faults to inject into reloads (tests only).</summary>
    internal Reloading.ReloadFaults? Faults { get; set; }

    /// <summary>Gets or sets where large images are written to be loaded from files (tests only; by default <c>/dev/shm</c> or the temporary directory).</summary>
    internal string? ImageFilesDirectory { get; set; }

    /// <summary>Gets or sets the size from which an image is loaded from a file (tests only).</summary>
    internal int ImageFileThreshold { get; set; } = Loading.ImageFiles.Threshold;
}
