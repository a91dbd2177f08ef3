namespace Molt.Modules;

/// <summary>One file of a module as read during a scan.</summary>
/// <param name="Path">The full path.</param>
/// <param name="Content">The bytes read.</param>
/// <param name="Stamp">The file's size and last write time when it was read, to tell later whether it changed.</param>
internal sealed record ModuleFile(string Path, byte[] Content, FileStamp Stamp)
{
    /// <summary>Gets a value indicating whether the file on disk is still the one that was read.</summary>
    public bool IsCurrent => FileStamp.Of(Path) == Stamp;
}
