namespace Molt.Samples.Tests;

/// <summary>Where the repository's samples and their builds are.</summary>
internal static class SamplePaths
{
    public static string Repository { get; } = FindRepository();

    public static string Directory(string sample) => Path.Combine(Repository, "samples", sample);

    /// <summary>The sample's built assembly, in the same configuration as the tests.</summary>
    public static string Assembly(string sample)
    {
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var path = Path.Combine(Directory(sample), "bin", configuration, "net10.0", sample + ".dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build the sample first: {path} is missing.", path);
    }

    /// <summary>The built <c>molt</c> tool (src/Molt.Cli), in the same configuration as the tests.</summary>
    public static string MoltCli()
    {
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var path = Path.Combine(Repository, "src", "Molt.Cli", "bin", configuration, "net10.0", "Molt.Cli.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build the tool first: {path} is missing.", path);
    }

    /// <summary>Copies a sample's module folder to a temporary directory the test may edit.</summary>
    public static string CopyModules(string sample, string folder = "modules")
    {
        var target = Path.Combine(Path.GetTempPath(), "molt-samples", Guid.NewGuid().ToString("N")[..12]);
        foreach (var file in System.IO.Directory.EnumerateFiles(Path.Combine(Directory(sample), folder), "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(Path.Combine(Directory(sample), folder), file));
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }

        return target;
    }

    private static string FindRepository()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Molt.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Cannot find the repository (Molt.slnx) above " + AppContext.BaseDirectory);
    }
}
