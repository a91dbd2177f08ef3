using System.Diagnostics;

namespace Molt.Samples.Tests;

/// <summary>
/// A sample's build copied to a directory of its own, so a test can run it and then put a new build
/// of it in place, as a deployment does: the new files renamed over the old ones (the running
/// process keeps the files it opened).
/// </summary>
internal sealed class SampleBuild : IDisposable
{
    private readonly string _sample;

    public SampleBuild(string sample)
    {
        _sample = sample;
        Root = Path.Combine(Path.GetTempPath(), "molt-samples", "build-" + Guid.NewGuid().ToString("N")[..12]);
        var built = Path.GetDirectoryName(SamplePaths.Assembly(sample))!;
        foreach (var file in Directory.EnumerateFiles(built, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(Root, Path.GetRelativePath(built, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
    }

    public string Root { get; }

    public string Assembly => Path.Combine(Root, _sample + ".dll");

    /// <summary>
    /// Builds the sample again with <paramref name="informationalVersion"/> and renames its assembly
    /// over the copy's. The sample's own obj/ is used (an intermediate path of its own would be
    /// passed on to the projects it references); its next ordinary build sees the version change
    /// and compiles again.
    /// </summary>
    public async Task DeployNewBuildAsync(string informationalVersion, TimeSpan timeout)
    {
        var output = Root + "-next";
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])[
            "build", Path.Combine(SamplePaths.Directory(_sample), _sample + ".csproj"), "-c", configuration, "--no-restore", "-nologo",
            "-o", output, "-p:BuildProjectReferences=false", $"-p:InformationalVersion={informationalVersion}"])
        {
            info.ArgumentList.Add(argument);
        }

        using var build = Process.Start(info)!;
        var text = build.StandardOutput.ReadToEndAsync();
        var errors = build.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        await build.WaitForExitAsync(cancel.Token);
        Assert.True(build.ExitCode == 0, $"dotnet build failed:\n{await text}\n{await errors}");
        foreach (var extension in (string[])[".dll", ".pdb"])
        {
            File.Move(Path.Combine(output, _sample + extension), Path.Combine(Root, _sample + extension), overwrite: true);
        }

        Directory.Delete(output, recursive: true);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A process of it may still be exiting; the system's temp cleaning takes it.
        }
    }
}
