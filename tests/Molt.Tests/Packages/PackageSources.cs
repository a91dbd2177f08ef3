namespace Molt.Tests.Packages;

/// <summary>
/// Module sources that use NuGet packages. The packages are ones the solution's own restore puts in
/// the machine's NuGet cache (Spectre.Console is Molt.Cli's), so the tests restore offline; the test
/// host itself references none of them except Microsoft.Extensions.Logging.Abstractions (Molt's).
/// </summary>
internal static class PackageSources
{
    public const string SpectreId = "Spectre.Console";
    public const string SpectreVersion = "0.49.1";

    public const string Markup = """
        [assembly: PackageReference("Spectre.Console", "0.49.1")]

        public static class Markup
        {
            [Export] public static string Escape(string s) => "VERSION:" + Spectre.Console.Markup.Escape(s);

            [Export] public static string Where()
            {
                var assembly = typeof(Spectre.Console.Markup).Assembly;
                return System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(assembly)!.Name + "|" + assembly.Location;
            }
        }
        """;

    // The same package, its id written in another case: one set of packages, one restore.
    public const string Second = """
        [assembly: Molt.PackageReference("spectre.console", "0.49.1")]

        public static class Second
        {
            [Export] public static string Plain(string s) => Spectre.Console.Markup.Remove(s);
        }
        """;

    // Exposes a package type in its API: a dependent compiles against it without declaring the package.
    public const string Core = """
        [assembly: PackageReference("Spectre.Console", "0.49.1")]

        namespace Core;

        public static class Texts
        {
            public static Spectre.Console.Text Make(string s) => new(s);
        }
        """;

    public const string User = """
        [assembly: DependsOn("core")]

        public static class User
        {
            [Export] public static int Length(string s) => Core.Texts.Make(s).Length;

            [Export] public static bool SameType() => Core.Texts.Make("x").GetType() == typeof(Spectre.Console.Text);
        }
        """;

    // The host has Microsoft.Extensions.Logging.Abstractions 10.x: its copy wins over the package's 6.0.0.
    public const string Logging = """
        [assembly: PackageReference("Microsoft.Extensions.Logging.Abstractions", "6.0.0")]

        public static class Logging
        {
            [Export] public static System.Reflection.Assembly LoggerAssembly() => typeof(Microsoft.Extensions.Logging.ILogger).Assembly;
        }
        """;
}
