namespace Molt.Modules;

/// <summary>One file of a module as read during a scan.</summary>
/// <param name="Path">The full path.</param>
/// <param name="Content">The bytes read.</param>
/// <param name="Stamp">The file's size and last write time when it was read, to tell later whether it changed.</param>
internal sealed record ModuleFile(string Path, byte[] Content, FileStamp Stamp)
{
    /// <summary>Gets a value indicating whether the file on disk is still the one that was read.</summary>
    public bool IsCurrent => FileStamp.Of(Path) == Stamp;

    /// <summary>
    /// Gets when the file will have been quiet for the quiet period, for a read made before it was
    /// (a provisional read, <see cref="StableFileReader.Read"/>); <see langword="null"/> when it was
    /// quiet when read. A provisional read counts only once the file is still the same at that time.
    /// </summary>
    public DateTime? QuietAt { get; init; }
}
