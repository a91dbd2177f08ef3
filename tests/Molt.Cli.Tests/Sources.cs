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
}
