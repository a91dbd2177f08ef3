// !mem: how much memory the bot uses, and whether old plugin generations really go away.
// BaseT's author could only guess whether re-included closures were freed; here every retired
// generation is tracked until it is collected (or reported as leaked).
using IrcBot;
using Microsoft.Extensions.DependencyInjection;

public sealed class MemoryUsage : IModule
{
    private const double MiB = 1024 * 1024;

    public ValueTask OnLoadAsync(IModuleContext context)
    {
        var irc = context.Services.GetRequiredService<IIrc>();
        var engine = context.Services.GetRequiredService<MoltEngine>();
        context.Attach(Bot.Message, message =>
        {
            if (message.Text.Trim() == "!mem")
            {
                var manifest = engine.Manifest;
                var pending = manifest.RetiredAlive.Count(r => r.Status == RetiredStatus.Pending);
                var leaked = manifest.RetiredAlive.Count(r => r.Status == RetiredStatus.Leaked);
                irc.Privmsg(message.ReplyTo,
                    $"gc heap {GC.GetTotalMemory(forceFullCollection: false) / MiB:0.0} MiB, working set {Environment.WorkingSet / MiB:0.0} MiB; " +
                    $"generation {manifest.Generation}: {manifest.Modules.Count} plugin(s) live, {pending} retired awaiting collection, {leaked} leaked");
            }
        });
        return ValueTask.CompletedTask;
    }
}
