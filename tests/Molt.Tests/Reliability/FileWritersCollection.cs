namespace Molt.Tests.Reliability;

/// <summary>
/// The races between file writers and reloads run alone: they write tens of megabytes, and what
/// they check (a file is read only once its writer is done) depends on the writer not being held
/// up, for longer than the quiet period, by other tests' writes and compiles.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FileWritersCollection
{
    public const string Name = "file writers";
}
