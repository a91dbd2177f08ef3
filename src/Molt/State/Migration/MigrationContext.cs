namespace Molt.State;

/// <summary>
/// Everything a migration learns about types, cached for as long as one reload transaction (or one
/// restore) lasts. Keeping the caches here rather than in statics is what lets a retired generation's
/// collectible load context unload: nothing outlives the transaction that needed it.
/// </summary>
/// <remarks>Not thread-safe; its owner serialises access.</remarks>
internal sealed class MigrationContext
{
    private readonly Dictionary<Type, TypeFields> _fields = [];
    private readonly Dictionary<Type, ObjectFactory> _factories = [];
    private readonly Dictionary<(Type Old, Type New), ObjectPlan> _plans = [];
    private readonly Dictionary<Type, CollectionShape?> _collections = [];
    private readonly Dictionary<Type, RetiringType> _retiring = [];
    private int _runs;

    public MigrationContext(TypeMapper types, CustomMigrationSet custom)
    {
        Types = types;
        Custom = custom;
        Classifier = new ValueClassifier(types, CollectionOf);
        Scanner = new OpaqueScanner(types);
        Pass = new MigrationPass(this);
    }

    /// <summary>
    /// Gets what the values migrated together share: one memo of old objects to new ones, so an
    /// object two values reach is still one object after the reload.
    /// </summary>
    public MigrationPass Pass { get; private set; }

    /// <summary>Starts a new pass, for values migrated again (at commit, after writes): the old pass's objects may have changed since.</summary>
    public void NewPass() => Pass = new MigrationPass(this);

    public TypeMapper Types { get; }

    public CustomMigrationSet Custom { get; }

    /// <summary>Gets how values are treated, by type.</summary>
    public ValueClassifier Classifier { get; }

    /// <summary>Gets the scanner that looks into framework objects for retiring ones.</summary>
    public OpaqueScanner Scanner { get; }

    /// <summary>Starts a new run (one slot's migration), so each plan reports its removed members once per run.</summary>
    public int NextRun() => ++_runs;

    public TypeFields FieldsOf(Type type)
    {
        if (!_fields.TryGetValue(type, out var fields))
        {
            fields = TypeFields.Of(type);
            _fields[type] = fields;
        }

        return fields;
    }

    public ObjectFactory FactoryOf(Type type)
    {
        if (!_factories.TryGetValue(type, out var factory))
        {
            factory = ObjectFactory.For(type);
            _factories[type] = factory;
        }

        return factory;
    }

    public ObjectPlan PlanOf(Type oldType, Type newType)
    {
        if (!_plans.TryGetValue((oldType, newType), out var plan))
        {
            plan = ObjectPlan.Build(oldType, newType, this);
            _plans[(oldType, newType)] = plan;
        }

        return plan;
    }

    /// <summary>What a migration needs to know about a retiring type, looked up once per type (the hot path of a large migration).</summary>
    public RetiringType RetiringOf(Type type)
    {
        if (!_retiring.TryGetValue(type, out var known))
        {
            known = new RetiringType(Types.Map(type), CollectionOf(type), Custom.TryGet(type.FullName!, out var custom) ? custom : null);
            _retiring[type] = known;
        }

        return known;
    }

    public CollectionShape? CollectionOf(Type type)
    {
        if (!_collections.TryGetValue(type, out var shape))
        {
            shape = CollectionShape.Of(type);
            _collections[type] = shape;
        }

        return shape;
    }
}
