using Molt.Tests.Infrastructure;

namespace Molt.Tests.Packages;

/// <summary>A prebuilt module whose package dependencies its <c>.deps.json</c> describes.</summary>
public sealed class PrebuiltPackageTests(PrebuiltPackagedModule module) : IClassFixture<PrebuiltPackagedModule>
{
    [Fact]
    public async Task APrebuiltModuleLoadsItsManagedAndNativePackageAssetsThroughItsDepsJson()
    {
        Assert.True(File.Exists(Path.Combine(module.Output, PrebuiltPackagedModule.Name + ".deps.json")));
        Assert.False(File.Exists(Path.Combine(module.Output, "Molt.Abstractions.dll")), "the contract must be the host's");
        await using var workspace = new ModuleWorkspace();
        module.CopyTo(workspace.PathOf(PrebuiltPackagedModule.Name));
        var engine = await workspace.StartAsync();
        var unloaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        engine.GenerationUnloaded += (_, _) => unloaded.TrySetResult();

        Assert.Equal("[[x]]", engine.GetEntryPoint<Func<string, string>>(PrebuiltPackagedModule.Name, "Escape", fallback: _ => "removed").Current("[x]"));

        // libcapstone.so is found only through the .deps.json: it sits under runtimes/<rid>/native/.
        Assert.Equal("nop", engine.GetEntryPoint<Func<byte[], string>>(PrebuiltPackagedModule.Name, "First", fallback: _ => "removed").Current([0x90]));

        // The package assembly is private to the generation and was loaded from bytes (no Location): the folder is never locked.
        Assert.Equal($"molt:{PrebuiltPackagedModule.Name}#1|", engine.GetEntryPoint<Func<string>>(PrebuiltPackagedModule.Name, "Where", fallback: () => "removed").Current());

        // Deleted: unloaded, and its generation (with its package assemblies) is collected.
        workspace.Delete(PrebuiltPackagedModule.Name);
        var removed = await engine.ReloadAsync().WaitAsync(TestTimeouts.Reload);
        Assert.True(removed.Succeeded, removed.Error + string.Join('\n', removed.Diagnostics));
        await unloaded.Task.WaitAsync(TestTimeouts.Verification);
        await engine.WhenUnloadsVerifiedAsync().WaitAsync(TestTimeouts.Verification);
        Assert.Empty(engine.Manifest.RetiredAlive);
    }
}
