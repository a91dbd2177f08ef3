namespace Molt.Cli.Commands;

/// <summary>Turns the <c>&lt;path&gt;</c> of <c>molt run</c> and <c>molt check</c> into engine options.</summary>
internal static class ModuleArguments
{
    /// <summary>
    /// A directory is a module directory (each <c>.cs</c> file, folder and <c>.dll</c> in it is a
    /// module); a file is a single module (a <c>.cs</c> file or a <c>.dll</c>).
    /// </summary>
    public static void Apply(MoltOptions options, string path, IEnumerable<string> references)
    {
        var full = Path.GetFullPath(path);
        if (File.Exists(full))
        {
            options.Modules.Add(full);
        }
        else
        {
            // A missing directory is reported by the engine's scan (MOLT001) like any other module problem.
            options.ModuleDirectories.Add(full);
        }

        foreach (var reference in references)
        {
            options.References.Add(Path.GetFullPath(reference));
        }
    }
}
