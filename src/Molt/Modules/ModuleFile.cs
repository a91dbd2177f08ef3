namespace Molt.Modules;

/// <summary>One file of a module as read during a scan.</summary>
/// <param name="Path">The full path.</param>
/// <param name="Content">The bytes read.</param>
internal sealed record ModuleFile(string Path, byte[] Content);
