namespace Molt.Reloading;

/// <summary>Bounds text that comes from module code (an exception's message can be any size) before it goes into a diagnostic.</summary>
internal static class Texts
{
    public const int MaxLength = 8 * 1024;

    public static string Bounded(string text) =>
        text.Length <= MaxLength ? text : string.Concat(text.AsSpan(0, MaxLength), $"… ({text.Length - MaxLength:N0} more characters)");
}
