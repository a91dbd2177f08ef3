using System.Security.Cryptography;
using System.Text;

namespace Molt.Hosting.Triggers;

/// <summary>
/// Polls the module files: every interval it fingerprints their names, sizes and write times, and
/// asks for a reload when the fingerprint changed. The reload itself compares content hashes, so a
/// poll never reports a change that is not one, and a no-op poll never replaces the last result.
/// </summary>
/// <remarks>
/// File systems stamp write times from a coarse clock (a few milliseconds), so two writes of the
/// same size within one tick look identical; files written within <see cref="RacyWindow"/> are
/// therefore fingerprinted by content as well (git's "racy" files).
/// </remarks>
internal sealed class ModulePoller : IDisposable
{
    private static readonly TimeSpan RacyWindow = TimeSpan.FromSeconds(2);

    private readonly IReadOnlyList<WatchTarget> _targets;
    private readonly ReloadScheduler _scheduler;
    private readonly Lock _gate = new();
    private readonly ITimer _timer;
    private string _last;

    public ModulePoller(IReadOnlyList<WatchTarget> targets, ReloadScheduler scheduler, TimeSpan interval, TimeProvider time)
    {
        _targets = targets;
        _scheduler = scheduler;
        _last = Fingerprint();
        _timer = time.CreateTimer(static state => ((ModulePoller)state!).Poll(), this, interval, interval);
    }

    public void Dispose() => _timer.Dispose();

    private void Poll()
    {
        // Timer callbacks may overlap when a poll takes longer than the interval; skip instead of piling up.
        if (!_gate.TryEnter())
        {
            return;
        }

        try
        {
            var now = Fingerprint();
            if (now != _last)
            {
                _last = now;

                // Through the settle logic, like a watcher event: a poll may catch a save half-way.
                _scheduler.FileChanged(HalfSaved(), "poll");
            }
        }
        finally
        {
            _gate.Exit();
        }
    }

    private string Fingerprint()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var racy = (DateTime.UtcNow - RacyWindow).Ticks;
        foreach (var target in _targets)
        {
            foreach (var (path, length, written) in Entries(target))
            {
                hash.AppendData(Encoding.UTF8.GetBytes($"{path}\0{length}\0{written}\n"));
                if (length > 0 && written >= racy)
                {
                    hash.AppendData(ContentHash(path));
                }
            }
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }

    private static byte[] ContentHash(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return SHA256.HashData(stream);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>A module file that is empty right now, if any: the poll caught a truncate-then-write.</summary>
    private string? HalfSaved() => _targets
        .SelectMany(t => Entries(t))
        .Where(e => e.Length == 0 && File.Exists(e.Path))
        .Select(e => e.Path)
        .FirstOrDefault();

    private static IEnumerable<(string Path, long Length, long Written)> Entries(WatchTarget target)
    {
        IEnumerable<string> paths;
        try
        {
            paths = target.SingleFile is { } single
                ? [single]
                : Directory.EnumerateFileSystemEntries(target.Directory, "*", SearchOption.AllDirectories)
                    .Where(p => ChangeFilter.IsRelevant(target, p))
                    .Order(StringComparer.Ordinal)
                    .ToArray();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A vanished directory is a change too: the reload reports it.
            return [(target.Directory, -1, 0)];
        }

        return paths.Select(p =>
        {
            var info = new FileInfo(p);
            return info.Exists ? (p, info.Length, info.LastWriteTimeUtc.Ticks) : (p, -1L, 0L);
        });
    }
}
