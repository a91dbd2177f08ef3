namespace Molt.Modules;

/// <summary>How a scan waits for a file written a moment ago (<see cref="MoltOptions.FileQuietPeriod"/>).</summary>
internal enum ReadMode
{
    /// <summary>Read once it has been quiet for the quiet period.</summary>
    Quiet,

    /// <summary>
    /// Read at once if the read is complete, with <see cref="ModuleFile.QuietAt"/> set: the caller
    /// checks that the file is still the same once the quiet period is over.
    /// </summary>
    Provisional,

    /// <summary>
    /// A writer was seen at work (a provisional read of the file turned out to be of a save in
    /// progress): read once it has been quiet for the longer period an empty file waits (250 ms, or
    /// 25 quiet periods), since that writer pauses between its writes.
    /// </summary>
    WriterSeen,
}
