namespace Molt.Modules;

/// <summary>
/// A module's name from its file or folder name. A leading ordering prefix — one or more ASCII
/// digits followed by <c>_</c> or <c>-</c>, with a name after it — orders loading (file names are
/// loaded in ordinal order) but is not part of the name: <c>0010_mud.cs</c> and <c>0010_mud/</c> are
/// the module <c>mud</c>, so renumbering a file keeps its name, its state and its dependents'
/// <c>[DependsOn("mud")]</c>.
/// </summary>
internal static class ModuleNames
{
    /// <summary>Gets the module name for a file name without its extension, or a folder name.</summary>
    public static string Of(string name)
    {
        var digits = 0;
        while (digits < name.Length && char.IsAsciiDigit(name[digits]))
        {
            digits++;
        }

        return digits > 0 && digits < name.Length - 1 && name[digits] is '_' or '-'
            ? name[(digits + 1)..]
            : name;
    }

    /// <summary>Gets whether <paramref name="name"/> (a file name without extension, or a folder name) has an ordering prefix.</summary>
    public static bool HasPrefix(string name) => Of(name).Length != name.Length;
}
