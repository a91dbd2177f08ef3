namespace Molt.Modules;

/// <summary>
/// Reads a module file only once its content is stable, whoever writes it: an editor's
/// rename-over save, truncate-then-write, one large <c>write()</c>, many small writes, <c>cp</c>,
/// <c>git checkout</c>. A read is kept only if the file had not been written for
/// <see cref="MoltOptions.FileQuietPeriod"/> when it started and is unchanged (same size and write
/// time, by path) when it ends; otherwise it waits and reads again.
/// </summary>
/// <param name="options">The engine's options (quiet period, size limit).</param>
/// <param name="cache">The reads of earlier scans; a new one when not given.</param>
internal sealed class StableFileReader(MoltOptions options, ReadCache? cache = null)
{
    /// <summary>How long a file may keep changing before the scan gives up on it (MOLT008).</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long an empty file must be seen empty and unchanged before it is read as empty: at least
    /// hosting's mid-save grace (250 ms), and 25 quiet periods when those are longer. Every save that
    /// truncates first (<c>cp</c>, most editors, .NET's <c>FileMode.Create</c>) leaves the file empty
    /// for a moment, and its write time cannot say for how long: a truncation may keep the old write
    /// time until the first write. An empty file is a failure anyway (MOLT007): waiting costs little.
    /// </summary>
    private TimeSpan Poll => options.FileQuietPeriod > TimeSpan.FromMilliseconds(1) ? options.FileQuietPeriod : TimeSpan.FromMilliseconds(1);

    private TimeSpan EmptyQuietPeriod => TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(250).Ticks, options.FileQuietPeriod.Ticks * 25));

    /// <summary>Gets the reads earlier scans made, given again while their files are unchanged.</summary>
    public ReadCache Cache { get; } = cache ?? new();

    /// <summary>Reads a file once it is stable.</summary>
    /// <param name="module">The module, for diagnostics.</param>
    /// <param name="path">The file.</param>
    /// <param name="mode">How to wait for a file written a moment ago.</param>
    /// <exception cref="ModuleScanException">The file is too large, unreadable, or never stopped changing.</exception>
    public ModuleFile Read(string module, string path, ReadMode mode = ReadMode.Quiet)
    {
        var started = DateTime.UtcNow;
        if (Cache.TryGet(path, out var cached, out var before))
        {
            return cached;
        }

        var file = ReadStable(module, path, started, mode);
        Cache.Remember(path, before, started, file);
        return file;
    }

    private ModuleFile ReadStable(string module, string path, DateTime started, ReadMode mode)
    {
        var quiet = mode == ReadMode.WriterSeen ? EmptyQuietPeriod : options.FileQuietPeriod;
        FileStamp? unchangedSince = null;
        (FileStamp Stamp, DateTime Since)? emptySince = null;
        while (true)
        {
            var (content, before) = ReadOnce(module, path);
            var after = FileStamp.Of(path);
            var complete = after == before && content.Length == before.Length;
            if (complete && content.Length == 0)
            {
                // An empty file's write time cannot say how long it has been empty: watch it, often
                // (the writer usually fills it within milliseconds), and believe it after a while.
                emptySince = emptySince is { } seen && seen.Stamp == before ? seen : (before, DateTime.UtcNow);
                if (DateTime.UtcNow - emptySince.Value.Since >= EmptyQuietPeriod)
                {
                    return new ModuleFile(path, content, before);
                }

                ThrowIfImpatient(module, path, started, Patience + EmptyQuietPeriod);
                Thread.Sleep(Poll);
                continue;
            }

            // The file system's clock, not the engine's TimeProvider: write times come from it. A
            // write time in the future (a clock step, a touch) cannot say how quiet the file is:
            // then the same stamp seen again a quiet period later is the proof.
            var quietFor = DateTime.UtcNow - before.LastWriteUtc;
            if (complete && (quietFor >= quiet || unchangedSince == before))
            {
                return new ModuleFile(path, content, before);
            }

            if (complete && mode == ReadMode.Provisional && quietFor >= TimeSpan.Zero)
            {
                return new ModuleFile(path, content, before) { QuietAt = before.LastWriteUtc + options.FileQuietPeriod };
            }

            ThrowIfImpatient(module, path, started, Patience);
            unchangedSince = complete ? before : null;
            emptySince = null;
            var wait = quietFor < TimeSpan.Zero ? quiet : quiet - quietFor;
            Thread.Sleep(wait > TimeSpan.FromMilliseconds(1) ? wait : TimeSpan.FromMilliseconds(1));
        }
    }

    private static void ThrowIfImpatient(string module, string path, DateTime started, TimeSpan patience)
    {
        if (DateTime.UtcNow - started > patience)
        {
            throw new ModuleScanException(new ModuleDiagnostic(module, path, 0, 0, MoltDiagnosticIds.FilesUnstable, DiagnosticSeverity.Error,
                $"The file kept changing for {Patience.TotalSeconds:0} s while it was read; the reload waits for a complete save."));
        }
    }

    /// <summary>
    /// Whether the path is a symbolic link whose target does not exist: unreadable for good. Anything
    /// else that was not found is churn — the entry is gone, or already back (a checkout writes it
    /// again right after deleting it), which this check cannot tell from "never gone".
    /// </summary>
    private static bool IsLinkToNowhere(string path)
    {
        try
        {
            // Not File.Exists: on Unix it is true for a link whatever its target.
            var link = new FileInfo(path);
            return link.LinkTarget is not null && link.ResolveLinkTarget(returnFinalTarget: true) is not { Exists: true };
        }
        catch (IOException)
        {
            return false;
        }
    }

    private (byte[] Content, FileStamp Stamp) ReadOnce(string module, string path)
    {
        try
        {
            // Open with sharing so an editor holding the file open does not fail the scan.
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var stamp = new FileStamp(stream.Length, File.GetLastWriteTimeUtc(stream.SafeFileHandle));
            if (stamp.Length > options.MaxFileBytes)
            {
                throw new ModuleScanException(new ModuleDiagnostic(module, path, 0, 0, MoltDiagnosticIds.FileTooLarge, DiagnosticSeverity.Error,
                    $"File is {stamp.Length:N0} bytes, over the limit of {options.MaxFileBytes:N0} (MoltOptions.MaxFileBytes)."));
            }

            var buffer = new byte[stamp.Length];
            var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            return (read == buffer.Length ? buffer : buffer[..read], stamp);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException && !IsLinkToNowhere(path))
        {
            // Listed, then gone: deleted, or deleted to be written again (git checkout). The scan starts over.
            throw new ModuleScanException(new ModuleDiagnostic(module, path, 0, 0, MoltDiagnosticIds.FilesUnstable, DiagnosticSeverity.Error,
                "The file was deleted after the scan listed it, and files kept coming and going; the reload waits for them to settle."));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ModuleScanException(new ModuleDiagnostic(module, path, 0, 0, MoltDiagnosticIds.FileUnreadable, DiagnosticSeverity.Error, $"Cannot read file: {ex.Message}"));
        }
    }
}
