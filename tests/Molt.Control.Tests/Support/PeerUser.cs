using System.Globalization;

namespace Molt.Control.Tests;

/// <summary>A throwaway system user for running a client as someone other than the server's owner.</summary>
internal static class PeerUser
{
    public const string Name = "molt-test-peer";

    /// <summary>Creates the user if absent and returns its uid and gid; fails the test loudly if that is impossible.</summary>
    public static async Task<(uint Uid, uint Gid)> EnsureAsync()
    {
        if ((await Shell.RunAsync("id", "-u", Name)).ExitCode != 0)
        {
            var created = await Shell.RunAsync("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", Name);
            Assert.True(created.ExitCode == 0, $"useradd {Name} failed ({created.ExitCode}): {created.Error}");
        }

        var uid = await Shell.RunAsync("id", "-u", Name);
        var gid = await Shell.RunAsync("id", "-g", Name);
        Assert.True(uid.ExitCode == 0 && gid.ExitCode == 0, $"The user {Name} does not exist after useradd: {uid.Error}");
        return (uint.Parse(uid.Output.Trim(), CultureInfo.InvariantCulture), uint.Parse(gid.Output.Trim(), CultureInfo.InvariantCulture));
    }
}
