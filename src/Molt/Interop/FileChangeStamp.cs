namespace Molt.Interop;

/// <summary>
/// What the kernel changes whenever a file's content may have changed: a write moves the write and
/// change times, a rename over it brings another inode, and setting the write time back (a copy
/// that keeps times, an archive extracted) still moves the change time, which no program can set.
/// </summary>
/// <param name="Device">The device the file is on.</param>
/// <param name="Inode">The file's inode.</param>
/// <param name="Size">Its size in bytes.</param>
/// <param name="ModifiedNs">Its write time, in nanoseconds since the Unix epoch.</param>
/// <param name="ChangedNs">Its change time (content or metadata), in nanoseconds since the Unix epoch.</param>
internal readonly record struct FileChangeStamp(ulong Device, ulong Inode, long Size, long ModifiedNs, long ChangedNs)
{
    /// <summary>Gets the change time as a UTC time.</summary>
    public DateTime ChangedUtc => DateTime.UnixEpoch.AddTicks(ChangedNs / 100);
}
