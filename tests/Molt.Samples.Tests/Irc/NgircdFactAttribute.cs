namespace Molt.Samples.Tests.Irc;

/// <summary>
/// A test against a real ngircd. Skipped, visibly, when ngircd is not installed on a developer's
/// machine; in CI (<c>CI=true</c>) it always runs, and fails if ngircd is missing.
/// </summary>
public sealed class NgircdFactAttribute : FactAttribute
{
    public NgircdFactAttribute()
    {
        if (NgircdServer.Executable is null && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Skip = "ngircd is not installed (apt-get install -y ngircd); CI installs it and runs this test.";
        }
    }
}
