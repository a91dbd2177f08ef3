using System.CommandLine;
using System.Globalization;
using System.Net;
using Molt.Hosting;

namespace Molt.Cli.Commands;

/// <summary>A control channel's TCP endpoint and the token every request on it carries.</summary>
internal sealed record TcpTarget(IPEndPoint EndPoint, string Token);

/// <summary>
/// <c>--tcp ADDRESS</c> and <c>--token-file FILE</c>: where <c>molt run</c> serves its control
/// channel on TCP, or where a client command reaches it. ADDRESS is <c>PORT</c> (on 127.0.0.1) or
/// <c>HOST:PORT</c> with an IP address, <c>[IPv6]</c> or <c>localhost</c>.
/// </summary>
internal sealed class TcpOptions(bool listening)
{
    // Someone who can read the token controls the process; someone who can write it can choose it.
    private const UnixFileMode SharedBits = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;

    public Option<string?> Address { get; } = new("--tcp")
    {
        Description = listening
            ? "Also serve the control channel on TCP: PORT (on 127.0.0.1) or ADDRESS:PORT (another address exposes it to the network). Needs --token-file; port 0 picks a free port, shown on the ready line."
            : "Talk to the process's TCP control port: PORT (on 127.0.0.1) or ADDRESS:PORT. Needs --token-file.",
    };

    public Option<string?> TokenFile { get; } = new("--token-file")
    {
        Description = listening
            ? "The file holding the TCP token: at least 16 characters, readable and writable by its owner only (chmod 600)."
            : "The file holding the process's TCP token (readable and writable by its owner only).",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Address);
        command.Options.Add(TokenFile);
    }

    /// <summary>Reads both options; <see langword="null"/> when <c>--tcp</c> is not given.</summary>
    /// <exception cref="UsageException">One is given without the other, the address is malformed, or the token file is missing, shared, empty or too short.</exception>
    public TcpTarget? Read(ParseResult parse)
    {
        var address = parse.GetValue(Address);
        var tokenFile = parse.GetValue(TokenFile);
        if (address is null)
        {
            return tokenFile is null ? null : throw new UsageException("--token-file is only used with --tcp");
        }

        if (tokenFile is null)
        {
            throw new UsageException("--tcp needs --token-file: every request on the TCP port must carry the token it holds");
        }

        return new TcpTarget(ParseEndPoint(address, listening), ReadToken(tokenFile, listening));
    }

    internal static IPEndPoint ParseEndPoint(string text, bool listening)
    {
        var colon = text.LastIndexOf(':');
        var host = colon < 0 ? null : text[..colon];
        var portText = colon < 0 ? text : text[(colon + 1)..];
        var lowest = listening ? 0 : 1;
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port < lowest || port > IPEndPoint.MaxPort)
        {
            throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"--tcp '{text}' is not PORT or ADDRESS:PORT with a port from {lowest} to {IPEndPoint.MaxPort} (for example 7077 or 127.0.0.1:7077)"));
        }

        return new IPEndPoint(host is null ? IPAddress.Loopback : ParseAddress(host, text), port);
    }

    private static IPAddress ParseAddress(string host, string text)
    {
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            return IPAddress.Loopback;
        }

        // An IPv6 address needs its brackets: without them its last group would read as the port.
        var bracketed = host.StartsWith('[') && host.EndsWith(']');
        var literal = bracketed ? host[1..^1] : host;
        if (IPAddress.TryParse(literal, out var address) && (bracketed == (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)))
        {
            return address;
        }

        throw new UsageException($"--tcp '{text}': '{host}' is not an IP address (IPv6 goes in brackets: [::1]:7077)");
    }

    private static string ReadToken(string path, bool listening)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new UsageException($"the token file '{full}' does not exist");
        }

        // Windows has no mode bits to check (and the control channel is served on Linux only).
        if (!OperatingSystem.IsWindows() && File.GetUnixFileMode(full) is var mode && (mode & SharedBits) != 0)
        {
            throw new UsageException($"the token file '{full}' is readable or writable by group or others (mode {Convert.ToString((int)mode, 8)}); make it private: chmod 600 '{full}'");
        }

        string token;
        try
        {
            token = File.ReadAllText(full).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read the token file '{full}': {ex.Message}");
        }

        if (token.Length == 0)
        {
            throw new UsageException($"the token file '{full}' is empty");
        }

        if (listening && token.Length < ControlChannelOptions.MinimumTokenLength)
        {
            throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"the token in '{full}' is {token.Length} characters long; a TCP token needs at least {ControlChannelOptions.MinimumTokenLength}"));
        }

        return token;
    }
}
