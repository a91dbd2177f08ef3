namespace Molt.Hosting.Tests;

public sealed class PublicSurfaceTests
{
    /// <summary>Every change to the public surface shows up here, in review.</summary>
    [Fact]
    public void OnlyTheRegistrationTheHealthCheckTheOptionsTheStatusTheReplyMappingAndTheHotRestartListenersAndConnectionsArePublic()
    {
        string[] expected =
        [
            "Molt.Hosting.ControlChannelOptions",
            "Molt.Hosting.ControlReplies",
            "Molt.Hosting.HotRestartConnection",
            "Molt.Hosting.HotRestartOptions",
            "Molt.Hosting.IHotRestartConnections",
            "Molt.Hosting.IHotRestartListeners",
            "Molt.Hosting.IHotRestarter",
            "Molt.Hosting.MoltHealthChecksBuilderExtensions",
            "Molt.Hosting.MoltHostStatus",
            "Molt.Hosting.MoltHostingOptions",
            "Molt.Hosting.MoltServiceCollectionExtensions",
            "Molt.Hosting.PollingMode",
        ];

        var exported = typeof(MoltHostStatus).Assembly.GetExportedTypes().Select(t => t.FullName!).Order(StringComparer.Ordinal);

        Assert.Equal(expected, exported);
    }
}
