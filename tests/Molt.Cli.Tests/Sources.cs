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

    /// <summary>
    /// A module of about <paramref name="bytes"/> bytes whose load hook appends its mark to
    /// <paramref name="log"/>. The mark is a constant at the very end, after a large comment, so no
    /// proper prefix of the file compiles: a generation built from a partial read cannot exist.
    /// </summary>
    public static byte[] Payload(string version, int bytes, string log)
    {
        var text = new System.Text.StringBuilder(bytes + 512);
        text.Append($$"""
            public sealed class Hook : IModule
            {
                public ValueTask OnLoadAsync(IModuleContext context)
                {
                    File.AppendAllText(@"{{log}}", Tail.Mark + "\n");
                    return ValueTask.CompletedTask;
                }
            }

            /*

            """);
        var line = new string('x', 99) + "\n";
        while (text.Length < bytes)
        {
            text.Append(line);
        }

        text.Append($"*/\n\npublic static class Tail\n{{\n    public const string Mark = \"{version}-complete\";\n}}\n");
        return System.Text.Encoding.UTF8.GetBytes(text.ToString());
    }
}
