namespace Molt.Hosting.Tests;

/// <summary>The ways editors save a file, done with the same system calls they use.</summary>
public enum SaveStyle
{
    /// <summary>Open with truncation and write (most editors, File.WriteAllText).</summary>
    InPlace,

    /// <summary>Truncate, flush, then write and flush separately: the file is empty for a moment.</summary>
    TruncateThenWrite,

    /// <summary>Write a temporary file beside it, then rename it over the original (vim, JetBrains, VS Code's safe save).</summary>
    TemporaryThenRename,

    /// <summary>Delete the file, then create it again.</summary>
    DeleteThenCreate,
}

/// <summary>Saves a file in a given <see cref="SaveStyle"/>.</summary>
public static class EditorSave
{
    public static void Save(SaveStyle style, string path, string content)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(content);
        switch (style)
        {
            case SaveStyle.InPlace:
                File.WriteAllBytes(path, bytes);
                break;
            case SaveStyle.TruncateThenWrite:
                using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
                {
                    stream.SetLength(0);
                    stream.Flush(flushToDisk: true);
                    stream.Write(bytes);
                    stream.Flush(flushToDisk: true);
                }

                break;
            case SaveStyle.TemporaryThenRename:
                var temporary = path + ".tmp";
                File.WriteAllBytes(temporary, bytes);
                File.Move(temporary, path, overwrite: true);
                break;
            case SaveStyle.DeleteThenCreate:
                File.Delete(path);
                using (var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
                {
                    stream.Write(bytes);
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(style));
        }
    }
}
