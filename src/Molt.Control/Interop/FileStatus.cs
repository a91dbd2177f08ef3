namespace Molt.Control;

/// <summary>The parts of a file's status the control channel checks before trusting a path.</summary>
/// <param name="Mode">The type and permission bits (<c>st_mode</c>).</param>
/// <param name="Uid">The owner's user id.</param>
/// <param name="Inode">The inode, to recognise our own socket file at shutdown.</param>
internal readonly record struct FileStatus(uint Mode, uint Uid, ulong Inode)
{
    private const uint TypeMask = 0xF000;

    public bool IsDirectory => (Mode & TypeMask) == 0x4000;

    public bool IsSymbolicLink => (Mode & TypeMask) == 0xA000;

    public bool IsSocket => (Mode & TypeMask) == 0xC000;

    /// <summary>Gets the permission bits (the low twelve bits of the mode).</summary>
    public uint Permissions => Mode & 0xFFF;

    /// <summary>Gets whether the group or others may write (mode &amp; 022).</summary>
    public bool IsGroupOrWorldWritable => (Mode & 0x12) != 0;
}
