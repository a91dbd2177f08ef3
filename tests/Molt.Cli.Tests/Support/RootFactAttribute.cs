namespace Molt.Cli.Tests;

/// <summary>A fact that needs root plus setpriv, useradd and python3; otherwise reported as skipped with the reason.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (Environment.UserName != "root")
        {
            Skip = "Needs root: it creates the user molt-test-peer and connects to the socket as that user.";
            return;
        }

        string[] tools = ["/usr/bin/setpriv", "/usr/sbin/useradd", "/usr/bin/python3"];
        var missing = tools.Where(t => !File.Exists(t)).ToArray();
        if (missing.Length > 0)
        {
            Skip = $"Needs {string.Join(", ", missing)} (Debian packages util-linux, passwd, python3).";
        }
    }
}
