using System.Globalization;

namespace Molt.Control.Tests;

/// <summary>The TCP sockets this process is listening on, read from /proc: evidence independent of the server's own report.</summary>
internal static class ListeningTcpSockets
{
    private const string ListenState = "0A";

    public static HashSet<string> OfThisProcess()
    {
        var ours = new HashSet<string>();
        foreach (var fd in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            try
            {
                if (new FileInfo(fd).LinkTarget is { } target && target.StartsWith("socket:[", StringComparison.Ordinal))
                {
                    ours.Add(target["socket:[".Length..^1]);
                }
            }
            catch (IOException)
            {
                // The descriptor closed while we looked.
            }
        }

        var listening = new HashSet<string>();
        foreach (var table in new[] { "/proc/self/net/tcp", "/proc/self/net/tcp6" })
        {
            if (!File.Exists(table))
            {
                continue;
            }

            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length > 9 && fields[3] == ListenState && ours.Contains(fields[9]))
                {
                    listening.Add(fields[1] + "#" + fields[9].ToString(CultureInfo.InvariantCulture));
                }
            }
        }

        return listening;
    }
}
