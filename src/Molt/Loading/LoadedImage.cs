using System.Collections.Immutable;
using System.Reflection;

namespace Molt.Loading;

/// <summary>What loading a compiled module produced: its load context, assembly, exports and lifecycle class.</summary>
/// <param name="LoadContext">The generation's collectible load context.</param>
/// <param name="Assembly">The module's assembly, loaded in <paramref name="LoadContext"/>.</param>
/// <param name="Exports">What it exports, by name.</param>
/// <param name="Lifecycle">Its <see cref="IModule"/> instance, if it has one.</param>
/// <param name="Index">What its metadata says the engine looks for.</param>
internal sealed record LoadedImage(ModuleLoadContext LoadContext, Assembly Assembly, ImmutableDictionary<string, Export> Exports, IModule? Lifecycle, ImageIndex Index);
