namespace Molt.Modules;

/// <summary>
/// Waits for the directories a scan lists to be quiet: no entry created, deleted or renamed in them
/// for <see cref="MoltOptions.FileQuietPeriod"/>. A file that is gone has no write time to wait on,
/// but its directory has one: a <c>git checkout</c> deletes each file before it writes it again, and
/// a listing taken in between would miss it (a module with a file missing, or removed altogether).
/// </summary>
internal sealed class QuietDirectories(MoltOptions options)
{
    /// <summary>How long directories may keep changing before the scan lists them anyway (the files' own checks still apply).</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(2);

    /// <summary>Waits (bounded) until none of <paramref name="directories"/> changed for the quiet period; returns their write times.</summary>
    public DateTime[] Await(IReadOnlyList<string> directories)
    {
        var started = DateTime.UtcNow;
        while (true)
        {
            var stamps = Stamps(directories);
            var now = DateTime.UtcNow;

            // A write time in the future (a clock step, a touch) cannot say how quiet a directory is: it is not waited on.
            var quietFor = stamps.Select(s => now - s).Where(q => q >= TimeSpan.Zero && q < options.FileQuietPeriod).DefaultIfEmpty(TimeSpan.MaxValue).Min();
            if (quietFor == TimeSpan.MaxValue || now - started > Patience)
            {
                return stamps;
            }

            var wait = options.FileQuietPeriod - quietFor;
            Thread.Sleep(wait > TimeSpan.FromMilliseconds(1) ? wait : TimeSpan.FromMilliseconds(1));
        }
    }

    /// <summary>The directories' write times now (a missing directory's is the minimum time).</summary>
    public static DateTime[] Stamps(IReadOnlyList<string> directories) => [.. directories.Select(Directory.GetLastWriteTimeUtc)];
}
