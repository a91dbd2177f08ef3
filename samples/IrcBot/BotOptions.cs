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
        for (var i = 0; i < args.Length; i += 2)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--server":
                    var colon = value.LastIndexOf(':');
                    options = options with { Host = value[..colon], Port = int.Parse(value[(colon + 1)..], CultureInfo.InvariantCulture) };
                    break;
                case "--nick": options = options with { Nick = value }; break;
                case "--admin": options = options with { Admin = value }; break;
                case "--plugins": options = options with { Plugins = Path.GetFullPath(value) }; break;
                case "--watch": options = options with { Watch = bool.Parse(value) }; break;
                case "--poll": options = options with { Poll = TimeSpan.FromMilliseconds(double.Parse(value, CultureInfo.InvariantCulture)) }; break;
                case "--channel": channels.Add(value); break;
                default: throw new ArgumentException($"Unknown option {args[i]}.");
            }
        }

        return options with { Channels = channels.Count > 0 ? channels : ["#molt"] };
    }
}
