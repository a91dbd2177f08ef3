namespace Molt.Control.Tests;

/// <summary>
/// A fact that needs root (to create a user and run a process as it) plus setpriv, useradd and
/// python3. Without them the test is reported as skipped with the reason, never passed silently.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (LibC.GetEffectiveUserId() != 0)
        {
            Skip = "Needs root: it creates the user molt-test-peer and runs a client as that user.";
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
