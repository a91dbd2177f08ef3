namespace Molt.Harness.Infrastructure;

/// <summary>The harness's command line: <c>command [--full] [--out file] [--name value]…</c>.</summary>
internal sealed class Options(string[] args)
{
    public bool Full => Has("--full");

    public bool Has(string flag) => args.Contains(flag);

    public string? Out => Get("--out");

    public string? Get(string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    public int Int(string name, int quick, int full) =>
        Get(name) is { } value ? int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : Full ? full : quick;
}
