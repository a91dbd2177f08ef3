using Microsoft.Extensions.Logging;
using Molt;

namespace IrcBot;

/// <summary>
/// The admin's <c>!reload</c>, and the report of every failed reload to the admin. Part of the
/// permanent part on purpose: it must work when every plugin is broken.
/// </summary>
internal sealed class ReloadCommand : IDisposable
{
    private const int MaxDiagnostics = 3;
    private readonly MoltEngine _engine;
    private readonly IrcConnection _irc;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();

    public ReloadCommand(MoltEngine engine, IrcConnection irc, ILogger<ReloadCommand> logger)
    {
        _engine = engine;
        _irc = irc;
        _logger = logger;
        // Failed reloads from a save, SIGUSR1 or the control channel reach the admin this way;
        // repeats of the same failure raise no event, so a broken file is reported once.
        _engine.ReloadFailed += OnReloadFailed;
    }

    /// <summary>Handles <c>!reload</c>; returns <see langword="false"/> for any other message.</summary>
    public bool TryHandle(IrcMessage message)
    {
        if (message.Text.Trim() != "!reload")
        {
            return false;
        }

        if (!string.Equals(message.Nick, _irc.Admin, StringComparison.OrdinalIgnoreCase))
        {
            Log.ReloadRefused(_logger, message.Nick);
            _irc.Privmsg(message.ReplyTo, $"{message.Nick}: only {_irc.Admin} may reload.");
            return true;
        }

        Log.ReloadRequested(_logger, message.Nick);
        // Off the line loop: the bot keeps answering while the plugins compile.
        _ = ReloadAsync(message.ReplyTo);
        return true;
    }

    public void Dispose()
    {
        _engine.ReloadFailed -= OnReloadFailed;
        _stopping.Cancel();
        _stopping.Dispose();
    }

    /// <summary>Describes a reload in a few IRC lines: what changed and how long it took, or why it failed and where.</summary>
    internal static IEnumerable<string> Describe(ReloadResult result)
    {
        if (result.Succeeded)
        {
            yield return result.Changes.Count == 0
                ? $"reload: nothing changed; generation {result.Generation} serving"
                : $"reloaded generation {result.Generation} in {result.Timings.Total.TotalMilliseconds:0} ms: {string.Join(", ", result.Changes.Select(c => $"{c.Module}#{c.Generation}"))}";
            yield break;
        }

        var repeated = result.Repeated ? " (the files are as they were at the last failure)" : string.Empty;
        yield return $"reload failed ({result.Trigger}): {result.Error}{repeated}; generation {result.Generation} keeps serving";
        foreach (var error in result.Errors.Take(MaxDiagnostics))
        {
            yield return error.File is null
                ? error.ToString()
                : $"{Path.GetFileName(error.File)}:{error.Line}:{error.Column}: {error.Id}: {error.Message}";
        }
    }

    private async Task ReloadAsync(string replyTo)
    {
        try
        {
            var result = await _engine.ReloadAsync("irc", _stopping.Token);
            foreach (var line in Describe(result))
            {
                _irc.Privmsg(replyTo, line);
            }
        }
        catch (OperationCanceledException)
        {
            // The bot is stopping.
        }
        catch (Exception ex)
        {
            Log.ReloadThrew(_logger, ex);
            _irc.Privmsg(replyTo, $"reload threw {ex.GetType().Name}: {ex.Message}");
        }
    }

    private void OnReloadFailed(object? sender, ReloadEventArgs e)
    {
        // A reload the admin asked for over IRC is answered where it was asked.
        if (e.Result.Trigger.Split('+').Contains("irc"))
        {
            return;
        }

        foreach (var line in Describe(e.Result))
        {
            _irc.Privmsg(_irc.Admin, line);
        }
    }
}
