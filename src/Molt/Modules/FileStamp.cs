namespace Molt.Modules;

/// <summary>A file's size and last write time: what changes when anyone writes to it, replaces it or deletes it.</summary>
internal readonly record struct FileStamp(long Length, DateTime LastWriteUtc)
{
    /// <summary>Gets the stamp of a file that does not exist.</summary>
    public static FileStamp Missing { get; } = new(-1, DateTime.MinValue);

    public static FileStamp Of(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? new FileStamp(info.Length, info.LastWriteTimeUtc) : Missing;
    }
}
