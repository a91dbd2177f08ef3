using System.Text.Json.Nodes;
using Molt.Harness.Infrastructure;

namespace Molt.Harness.Items;

internal static class MemoryItem
{
    public static Task<JsonObject> RunAsync(Options options) => throw new NotImplementedException();
    public static Task<JsonObject> ChildAsync(Options options) => throw new NotImplementedException();
}

internal static class DowntimeItem
{
    public static Task<JsonObject> RunAsync(Options options) => throw new NotImplementedException();
}

internal static class ColdStartItem
{
    public static Task<JsonObject> RunAsync(Options options) => throw new NotImplementedException();
    public static Task<JsonObject> HostAsync(Options options) => throw new NotImplementedException();
}

internal static class ReportItem
{
    public static JsonObject Run(Options options) => throw new NotImplementedException();
}
