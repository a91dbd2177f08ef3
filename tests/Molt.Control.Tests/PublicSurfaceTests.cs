namespace Molt.Control.Tests;

public sealed class PublicSurfaceTests
{
    /// <summary>Every change to the public surface shows up here, in review.</summary>
    [Fact]
    public void OnlyWhatAClientOfTheChannelNeedsIsPublic()
    {
        string[] expected =
        [
            "Molt.Control.ChangedModule",
            "Molt.Control.CheckReply",
            "Molt.Control.ControlClient",
            "Molt.Control.ControlClientOptions",
            "Molt.Control.ControlCommands",
            "Molt.Control.ControlDiscoveryException",
            "Molt.Control.ControlError",
            "Molt.Control.ControlErrorCodes",
            "Molt.Control.ControlException",
            "Molt.Control.ControlJson",
            "Molt.Control.ControlNotListeningException",
            "Molt.Control.ControlRefusedException",
            "Molt.Control.ControlReply",
            "Molt.Control.ControlRequest",
            "Molt.Control.ControlSocketDiscovery",
            "Molt.Control.ControlSocketInfo",
            "Molt.Control.ControlSocketPaths",
            "Molt.Control.ControlTimeoutException",
            "Molt.Control.LoadedModule",
            "Molt.Control.PhaseTimings",
            "Molt.Control.ReloadDiagnostic",
            "Molt.Control.ReloadReply",
            "Molt.Control.RestartReply",
            "Molt.Control.RetiredModuleGeneration",
            "Molt.Control.ServingReload",
            "Molt.Control.SnapshotReply",
            "Molt.Control.StatusReply",
            "Molt.Control.StopReply",
            "Molt.Control.VerifyReply",
        ];

        var exported = typeof(ControlClient).Assembly.GetExportedTypes().Select(t => t.FullName!).Order(StringComparer.Ordinal);

        Assert.Equal(expected, exported);
    }

    [Fact]
    public void RepliesAreMadeOnlyByTheServerSide()
    {
        var factories = typeof(ControlReply).GetMethods().Where(m => m.IsStatic && m.ReturnType == typeof(ControlReply));

        Assert.Empty(factories);
    }
}
