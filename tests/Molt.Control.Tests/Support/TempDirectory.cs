using System.Collections.Concurrent;

namespace Molt.Control.Tests;

/// <summary>Private (0700) temporary directories, all removed when the test process exits.</summary>
internal static class TempDirectory
{
    private static readonly ConcurrentBag<string> Created = [];

    static TempDirectory() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        foreach (var path in Created)
        {
            try
            {
                Directory.Delete(path, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Already gone, or left for the system's temp cleaning.
            }
        }
    };

    public static string Create(string prefix)
    {
        var path = Directory.CreateTempSubdirectory(prefix).FullName;
        Created.Add(path);
        return path;
    }
}
