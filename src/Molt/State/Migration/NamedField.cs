using System.Reflection;

namespace Molt.State;

/// <summary>A field and the logical name it migrates under.</summary>
/// <param name="Name">The logical name.</param>
/// <param name="Field">The field.</param>
internal readonly record struct NamedField(string Name, FieldInfo Field);
