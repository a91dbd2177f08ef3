using System.Security;
using System.Text;

namespace Molt.Packages;

/// <summary>The project file a package set is restored with: nothing but its package references.</summary>
internal static class RestoreProject
{
    /// <summary>
    /// The project text. The SDK is imported explicitly so that the Directory.Build and
    /// Directory.Packages files of whatever tree the cache sits in are not: the restore must depend
    /// only on the packages, the machine's NuGet configuration and its caches. NuGet's audit is off:
    /// it would ask the sources for vulnerability data on every restore, even one the caches satisfy.
    /// </summary>
    public static string Text(PackageSet set)
    {
        var text = new StringBuilder();
        text.AppendLine("<Project>");
        text.AppendLine("  <PropertyGroup>");
        text.AppendLine("    <ImportDirectoryBuildProps>false</ImportDirectoryBuildProps>");
        text.AppendLine("    <ImportDirectoryBuildTargets>false</ImportDirectoryBuildTargets>");
        text.AppendLine("    <ImportDirectoryPackagesProps>false</ImportDirectoryPackagesProps>");
        text.AppendLine("  </PropertyGroup>");
        text.AppendLine("  <Import Project=\"Sdk.props\" Sdk=\"Microsoft.NET.Sdk\" />");
        text.AppendLine("  <PropertyGroup>");
        text.AppendLine($"    <TargetFramework>{PackageSet.Framework}</TargetFramework>");
        text.AppendLine($"    <RuntimeIdentifier>{SecurityElement.Escape(PackageSet.RuntimeIdentifier)}</RuntimeIdentifier>");
        text.AppendLine("    <SelfContained>false</SelfContained>");
        text.AppendLine("    <OutputType>Library</OutputType>");
        text.AppendLine("    <EnableDefaultItems>false</EnableDefaultItems>");
        text.AppendLine("    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>");
        text.AppendLine("    <NuGetAudit>false</NuGetAudit>");
        text.AppendLine("  </PropertyGroup>");
        text.AppendLine("  <ItemGroup>");
        foreach (var package in set.Packages)
        {
            text.AppendLine($"    <PackageReference Include=\"{SecurityElement.Escape(package.Id)}\" Version=\"{SecurityElement.Escape(package.Version)}\" />");
        }

        text.AppendLine("  </ItemGroup>");
        text.AppendLine("  <Import Project=\"Sdk.targets\" Sdk=\"Microsoft.NET.Sdk\" />");
        text.AppendLine("</Project>");
        return text.ToString();
    }
}
