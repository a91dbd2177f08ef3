namespace Molt.Cli;

/// <summary>An option that cannot be used as given; its message is printed as is, after <c>molt:</c>.</summary>
internal sealed class UsageException(string message) : Exception(message);
