using System.Collections.Concurrent;
using Molt.Interop;

namespace Molt.Modules;

/// <summary>
/// The content of the files earlier scans read, given again while the kernel says a file is the
/// same one, unchanged: the same device and inode, size, write time and change time (one
/// <c>statx</c> instead of opening and reading it). A scan of a large module then reads only what
/// changed, as <c>git status</c> does with its index.
/// </summary>
/// <remarks>
/// <para>
/// A read is remembered only when the file's last change was a few seconds before the
/// read began, and its stamp was the same before and after the read. A write after that read then
/// always moves the change time past the remembered one, even on a file system whose timestamps
/// are coarse (a write within the same tick as the remembered change would not): so the file just
/// saved is read again on every scan for a few seconds, and every other file is not read at all.
/// </para>
/// <para>
/// Only on local file systems (ext2/3/4, XFS, Btrfs, tmpfs, overlayfs, ZFS, F2FS): a network or
/// shared-folder file system can report attributes it cached while the content changed elsewhere,
/// and opening the file is what makes it check. Elsewhere, and off Linux, every file is read on
/// every scan, as before.
/// </para>
/// </remarks>
/// <param name="racyWindow">How long before a read a file's last change must be for the read to be remembered (3 s; shorter in tests).</param>
internal sealed class ReadCache(TimeSpan? racyWindow = null)
{
    private static readonly HashSet<long> s_localFileSystems =
    [
        0xEF53, // ext2, ext3, ext4
        0x58465342, // XFS
        0x9123683E, // Btrfs
        0x01021994, // tmpfs
        0x794C7630, // overlayfs
        0x2FC12FC1, // ZFS
        0xF2F52010, // F2FS
    ];

    private readonly ConcurrentDictionary<string, (FileChangeStamp Stamp, ModuleFile File)> _files = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<ulong, bool> _localDevices = new();
    private readonly TimeSpan _racyWindow = racyWindow ?? TimeSpan.FromSeconds(3);
    private long _hits;

    /// <summary>Gets the number of files read from the cache since the engine started (for tests and traces).</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Returns the remembered read of <paramref name="path"/> if the file is unchanged since; else the stamp to pass to <see cref="Remember"/>.</summary>
    public bool TryGet(string path, out ModuleFile file, out FileChangeStamp? before)
    {
        before = UnixInterop.TryGetChangeStamp(path);
        if (before is { } now && _files.TryGetValue(path, out var entry) && entry.Stamp == now)
        {
            Interlocked.Increment(ref _hits);
            file = entry.File;
            return true;
        }

        file = default!;
        return false;
    }

    /// <summary>Remembers a read of <paramref name="path"/> that began at <paramref name="started"/>, with the stamp taken before it, if it can be trusted later.</summary>
    public void Remember(string path, FileChangeStamp? before, DateTime started, ModuleFile file)
    {
        if (before is { } stamp && stamp.Size == file.Content.Length && started - stamp.ChangedUtc >= _racyWindow
            && IsLocal(path, stamp.Device) && UnixInterop.TryGetChangeStamp(path) == stamp)
        {
            _files[path] = (stamp, file);
        }
        else
        {
            _files.TryRemove(path, out _);
        }
    }

    /// <summary>Forgets every file not among <paramref name="paths"/> (deleted or renamed away), so the cache holds only what the modules have.</summary>
    public void KeepOnly(IEnumerable<string> paths)
    {
        var kept = paths.ToHashSet(StringComparer.Ordinal);
        foreach (var path in _files.Keys)
        {
            if (!kept.Contains(path))
            {
                _files.TryRemove(path, out _);
            }
        }
    }

    private bool IsLocal(string path, ulong device) =>
        _localDevices.GetOrAdd(device, static (_, p) => UnixInterop.TryGetFileSystemType(p) is { } type && s_localFileSystems.Contains(type), path);
}
