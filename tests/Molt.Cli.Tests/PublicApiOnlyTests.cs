using System.Reflection;
using System.Runtime.CompilerServices;
using Molt.Control;
using Molt.Hosting;

namespace Molt.Cli.Tests;

public sealed class PublicApiOnlyTests
{
    /// <summary>The CLI is a client like any other: what it needs from the libraries must be public.</summary>
    [Fact]
    public void NoLibraryOpensItsInternalsToTheCli()
    {
        Assembly[] libraries = [typeof(MoltEngine).Assembly, typeof(ControlClient).Assembly, typeof(ControlReplies).Assembly, typeof(IModule).Assembly];

        var granted = libraries.SelectMany(a => a.GetCustomAttributes<InternalsVisibleToAttribute>().Select(v => $"{a.GetName().Name} -> {v.AssemblyName}"));

        Assert.DoesNotContain(granted, g => g.EndsWith("-> Molt.Cli", StringComparison.Ordinal));
    }
}
