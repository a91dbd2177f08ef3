using System.Globalization;
using System.Reflection;

namespace IrcBot;

/// <summary>
/// The bot's command line: <c>[--server host:port] [--nick N] [--channel #c]… [--admin N]
/// [--plugins DIR] [--watch true|false] [--poll ms]</c>.
/// </summary>
/// <param name="Host">The IRC server's host. The default is 127.0.0.1.</param>
/// <param name="Port">The IRC server's port. The default is 6667.</param>
/// <param name="Nick">The nick to ask for. The default is <c>moltbot</c>.</param>
/// <param name="Channels">The channels autojoin joins. The default is <c>#molt</c>.</param>
/// <param name="Admin">The nick allowed to reload over IRC and told about failed reloads. The default is the user name.</param>
/// <param name="Plugins">The plugin directory. The default is the sample's <c>plugins/</c>.</param>
/// <param name="Watch">Whether a save reloads. The default is true.</param>
/// <param name="Poll">How often the plugin files are polled too, or <see langword="null"/> (the default) for never.</param>
internal sealed record BotOptions(string Host, int Port, string Nick, IReadOnlyList<string> Channels, string Admin, string Plugins, bool Watch, TimeSpan? Poll)
{
    public static BotOptions Parse(string[] args)
    {
        var sampleDirectory = typeof(BotOptions).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .First(a => a.Key == "SampleDirectory").Value!;
        var options = new BotOptions("127.0.0.1", 6667, "moltbot", [], Environment.UserName, Path.Combine(sampleDirectory, "plugins"), true, null);
        var channels = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.");
            i++;
            options = args[i - 1] switch
            {
                "--server" => options with
                {
                    Host = value[..value.LastIndexOf(':')],
                    Port = int.Parse(value[(value.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture),
                },
                "--nick" => options with { Nick = value },
                "--admin" => options with { Admin = value },
                "--plugins" => options with { Plugins = Path.GetFullPath(value) },
                "--watch" => options with { Watch = bool.Parse(value) },
                "--poll" => options with { Poll = TimeSpan.FromMilliseconds(double.Parse(value, CultureInfo.InvariantCulture)) },
                "--channel" => Add(options, channels, value),
                _ => throw new ArgumentException($"Unknown option {args[i - 1]}."),
            };
        }

        return options with { Channels = channels.Count > 0 ? channels : ["#molt"] };
    }

    private static BotOptions Add(BotOptions options, List<string> channels, string channel)
    {
        channels.Add(channel);
        return options;
    }
}
