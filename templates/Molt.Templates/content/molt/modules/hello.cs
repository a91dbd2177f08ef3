namespace MoltApp.Modules;

public static class Hello
{
    // Survives every reload (and is migrated if its type changes).
    [Persistent]
    private static int s_greeted;

    [Export]
    public static string Greet(string name) => $"Hello, {name}! ({++s_greeted} greetings so far)";
}
