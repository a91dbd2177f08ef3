namespace Molt.Reloading;

/// <summary>
/// Remembers the last reload that failed before loading anything. Such failures depend only on the
/// files and the generations compiled against, so the same fingerprint fails the same way: a poll
/// or a watcher does not compile it again.
/// </summary>
internal sealed class CompileFailureMemo
{
    private (string Fingerprint, ReloadResult Result)? _last;

    public ReloadResult? Repeat(string fingerprint) => _last is { } last && last.Fingerprint == fingerprint ? last.Result : null;

    public ReloadResult Remember(string fingerprint, ReloadResult result)
    {
        _last = (fingerprint, result);
        return result;
    }

    public void Clear() => _last = null;
}
