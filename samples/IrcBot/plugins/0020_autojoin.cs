// Joins the configured channels once the server has accepted the bot. Only the first load in
// the process does it (BaseT's $_started flag): after a reload the bot is still in its channels
// on the same connection, so a reloaded autojoin must not join again.
using IrcBot;
using Microsoft.Extensions.DependencyInjection;

public sealed class AutoJoin : IModule
{
    public ValueTask OnLoadAsync(IModuleContext context)
    {
        if (context.IsFirstLoad)
        {
            var irc = context.Services.GetRequiredService<IIrc>();
            context.Attach(Bot.Connected, () =>
            {
                foreach (var channel in irc.Channels)
                {
                    irc.Send("JOIN " + channel);
                }
            });
        }

        return ValueTask.CompletedTask;
    }
}
