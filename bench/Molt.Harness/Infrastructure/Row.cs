using System.Text.Json.Nodes;

namespace Molt.Harness.Infrastructure;

/// <summary>One line of the results table: a measured figure, its target and whether it is met.</summary>
internal static class Row
{
    /// <summary>Makes a row; <paramref name="met"/> is <see langword="null"/> when the figure has no target.</summary>
    public static JsonObject Of(string item, string what, string value, string target = "", bool? met = null) => new()
    {
        ["item"] = item,
        ["what"] = what,
        ["value"] = value,
        ["target"] = target,
        ["met"] = met is null ? null : JsonValue.Create(met.Value),
    };
}
