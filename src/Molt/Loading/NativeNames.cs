namespace Molt.Loading;

/// <summary>
/// The file names a <c>DllImport</c> name may stand for, as the runtime probes them
/// (<c>capstone</c> → <c>libcapstone.so</c>), plus the name without a <c>.dll</c> suffix outside
/// Windows: cross-platform libraries often import <c>name.dll</c> and ship <c>libname.so</c>.
/// </summary>
internal static class NativeNames
{
    public static IEnumerable<string> Candidates(string name)
    {
        var names = !OperatingSystem.IsWindows() && name.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? new[] { name, name[..^4] } : [name];
        var extension = OperatingSystem.IsWindows() ? ".dll" : OperatingSystem.IsMacOS() ? ".dylib" : ".so";
        foreach (var candidate in names)
        {
            yield return candidate;
            if (!candidate.EndsWith(extension, StringComparison.OrdinalIgnoreCase))
            {
                yield return candidate + extension;
            }

            if (!OperatingSystem.IsWindows() && !Path.GetFileName(candidate).StartsWith("lib", StringComparison.Ordinal))
            {
                yield return "lib" + candidate;
                yield return "lib" + candidate + extension;
            }
        }
    }
}
