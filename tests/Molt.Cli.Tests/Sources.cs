namespace Molt.Cli.Tests;

/// <summary>Module sources the tests write.</summary>
internal static class Sources
{
    public static string Calc(string body) => $$"""
        public static class Calc
        {
            [Export] public static int Add(int a, int b) => {{body}};
        }
        """;

    /// <summary>A module whose load hook writes <paramref name="marker"/>: proof that module code ran.</summary>
    public static string LoadHook(string marker) => $$"""
        public sealed class Hooked : IModule
        {
            public ValueTask OnLoadAsync(IModuleContext context)
            {
                File.WriteAllText(@"{{marker}}", "ran");
                return ValueTask.CompletedTask;
            }
        }
        """;
}
