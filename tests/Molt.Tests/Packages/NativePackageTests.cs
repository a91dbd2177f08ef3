using Molt.Tests.Infrastructure;

namespace Molt.Tests.Packages;

/// <summary>A package with a native library for the host's runtime identifier (Gee.External.Capstone ships libcapstone per RID).</summary>
public sealed class NativePackageTests : IDisposable
{
    private const string Disassembler = """
        using Gee.External.Capstone;
        using Gee.External.Capstone.X86;

        [assembly: PackageReference("Gee.External.Capstone", "2.3.0")]

        public static class Disassembler
        {
            [Export] public static string First(byte[] code)
            {
                using var disassembler = CapstoneDisassembler.CreateX86Disassembler(X86DisassembleMode.Bit64);
                return disassembler.Disassemble(code)[0].Mnemonic;
            }
        }
        """;

    private readonly string _packages = Path.Combine(Path.GetTempPath(), "molt-tests", "packages-" + Guid.NewGuid().ToString("N")[..12]);

    public void Dispose()
    {
        if (Directory.Exists(_packages))
        {
            Directory.Delete(_packages, recursive: true);
        }
    }

    [Fact]
    public async Task AModuleCallsIntoItsPackagesNativeLibrary()
    {
        await using var workspace = new ModuleWorkspace();
        workspace.Write("disassembler.cs", Disassembler);

        var engine = await workspace.StartAsync(o => o.PackageCachePath = _packages);

        Assert.Equal("nop", engine.GetEntryPoint<Func<byte[], string>>("disassembler", "First").Current([0x90]));
    }
}
