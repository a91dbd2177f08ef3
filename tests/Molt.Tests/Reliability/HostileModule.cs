namespace Molt.Tests.Reliability;

/// <summary>The module every hostile edit starts from and recovers to: state, exports, a service, a lifecycle.</summary>
internal static class HostileModule
{
    private const string Template = """
        public sealed record Box(int N);

        public static class App
        {
            private static IPersistentState<int>? s_count;
            private static IPersistentState<Box>? s_box;
            [Export] public static string Value() => "PREFIX:" + s_count!.Value + ":" + s_box!.Value.N;
            [Export] public static int Next() { s_box!.Update(b => b with { N = b.N + 1 }); return s_count!.Update(n => n + 1); }
            internal static void Attach(IPersistentState<int> c, IPersistentState<Box> b) { s_count = c; s_box = b; }
        }

        [Export]
        public sealed class Greeter : Molt.Tests.Infrastructure.IGreeter
        {
            public string Greet(string name) => "PREFIX " + name;
        }

        public sealed class Lifecycle : IModule
        {
            public ValueTask OnLoadAsync(IModuleContext context)
            {
                App.Attach(context.State("count", () => 0), context.State("box", () => new Box(0)));
                /*LOAD*/
                return ValueTask.CompletedTask;
            }
            /*UNLOAD*/
        }
        /*EXTRA*/
        """;

    public static string Source(string prefix = "v1", string load = "", string unload = "", string extra = "") =>
        Template.Replace("PREFIX", prefix).Replace("/*LOAD*/", load).Replace("/*UNLOAD*/", unload).Replace("/*EXTRA*/", extra);

    /// <summary>The 1-based line of the first line of <paramref name="source"/> containing <paramref name="text"/>.</summary>
    public static int LineOf(string source, string text) =>
        source.Split('\n').Select((line, index) => (line, index)).First(l => l.line.Contains(text, StringComparison.Ordinal)).index + 1;
}
