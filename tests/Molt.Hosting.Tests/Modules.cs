namespace Molt.Hosting.Tests;

/// <summary>Module sources the tests write.</summary>
internal static class Modules
{
    public static string Calc(string body) => $$"""
        public static class Calc
        {
            [Export] public static int Add(int a, int b) => {{body}};
        }
        """;
}

/// <summary>A host service a module resolves through its context.</summary>
public sealed class Greeting
{
    public string Text { get; init; } = "hello from the host";
}
