namespace Molt.State;

/// <summary>A retiring type's counterpart, collection shape and custom migration, as one migration found them.</summary>
/// <param name="NewType">The new generation's type, or <see langword="null"/> if there is none.</param>
/// <param name="Shape">Its collection shape, if it is a collection.</param>
/// <param name="Custom">The new generation's <c>[StateMigration]</c> for it, if any.</param>
internal sealed record RetiringType(Type? NewType, CollectionShape? Shape, CustomMigration? Custom);
