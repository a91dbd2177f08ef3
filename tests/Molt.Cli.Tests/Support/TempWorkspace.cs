namespace Molt.Cli.Tests;

/// <summary>A temporary module directory and a private runtime directory (mode 0700) for control sockets.</summary>
internal sealed class TempWorkspace : IDisposable
{
    public TempWorkspace()
    {
        Root = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "molt-cli-tests", Guid.NewGuid().ToString("N")[..12]);
        Modules = System.IO.Path.Combine(Root, "modules");
        RuntimeDirectory = System.IO.Path.Combine(Root, "run");
        Directory.CreateDirectory(Modules);
        Directory.CreateDirectory(RuntimeDirectory);
        File.SetUnixFileMode(RuntimeDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public string Root { get; }

    public string Modules { get; }

    public string RuntimeDirectory { get; }

    public string PathOf(string relative) => System.IO.Path.Combine(Modules, relative);

    public string Write(string relative, string content)
    {
        var path = PathOf(relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
