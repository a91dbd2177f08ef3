// Answers the server's PINGs, so the server keeps the bot connected. The permanent part does
// not know about PING at all: break this plugin with a syntax error and the old one keeps
// answering; make it throw and the server disconnects the bot after its ping timeout.
using IrcBot;
using Microsoft.Extensions.DependencyInjection;

public sealed class PingPong : IModule
{
    public ValueTask OnLoadAsync(IModuleContext context)
    {
        var irc = context.Services.GetRequiredService<IIrc>();
        context.Attach(Bot.LineReceived, line =>
        {
            if (line.Command == "PING")
            {
                irc.Send("PONG :" + line.Trailing);
            }
        });
        return ValueTask.CompletedTask;
    }
}
