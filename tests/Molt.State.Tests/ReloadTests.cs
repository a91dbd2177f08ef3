namespace Molt.State.Tests;

public sealed class ReloadTests
{
    [Fact]
    public void ACounterSurvivesAHundredReloads()
    {
        using var store = new StateStore();
        var image = Generation.Build(Sources.Counter);
        var current = Generation.Load(image);
        Assert.Equal(1, current.Call("Counter.Module", "Bump", new StoreProvider(store)));

        for (var reload = 0; reload < 100; reload++)
        {
            var next = Generation.Load(image);
            using var transaction = next.MigrateFrom(store, current);
            var provider = new TransactionProvider(transaction);
            Assert.Equal(reload + 1, next.Call("Counter.Module", "Read", provider));
            var report = transaction.Commit();

            Assert.True(report.Succeeded, report.ToString());
            Assert.Equal(SlotMigrationOutcome.Migrated, report["module", "tally"]!.Outcome);
            Assert.Equal(reload + 2, next.Call("Counter.Module", "Bump", new StoreProvider(store)));
            Assert.NotSame(current.Type("Counter.Tally"), next.Type("Counter.Tally"));
            current.Context.Unload();
            current = next;
        }

        Assert.Equal(101, current.Call("Counter.Module", "Read", new StoreProvider(store)));
    }

    [Fact]
    public void ARecordGainsLosesAndChangesMembersKeepingWhatFits()
    {
        using var store = new StateStore();
        var v1 = Generation.Compile(Sources.PlayerV1);
        dynamic old = v1.Call("Game.Module", "State", new StoreProvider(store))!;
        var stats = Activator.CreateInstance(v1.Type("Game.Stats"), "42");
        old.Value = (dynamic)Activator.CreateInstance(v1.Type("Game.Player"), "ann", 3, stats)!;

        var v2 = Generation.Compile(Sources.PlayerV2);
        using var transaction = v2.MigrateFrom(store, v1);
        dynamic handle = v2.Call("Game.Module", "State", new TransactionProvider(transaction))!;
        var report = transaction.Commit();

        Assert.True(report.Succeeded, report.ToString());
        dynamic player = handle.Value;
        Assert.Equal(v2.Type("Game.Player"), (Type)player.GetType());
        Assert.Equal("ann", (string)player.Name);
        Assert.Equal(42, (int)player.Stats.Score);
        Assert.Equal(7, (int)player.Level);
        Assert.Contains(new RemovedMember("Game.Player", "Lives"), report["module", "player"]!.RemovedMembers);
    }

    [Fact]
    public void PrivateFieldsBaseClassFieldsAndAutoPropertiesMigrate()
    {
        using var store = new StateStore();
        var v1 = Generation.Compile(Sources.SecretsV1);
        dynamic secrets = ((dynamic)v1.Call("Vault.Module", "State", new StoreProvider(store))!).Value;
        secrets.Hide(4);
        secrets.Hide(5);
        secrets.Name = "vault";
        secrets.SetOrigin("north");

        var v2 = Generation.Compile(Sources.SecretsV2);
        using var transaction = v2.MigrateFrom(store, v1);
        dynamic handle = v2.Call("Vault.Module", "State", new TransactionProvider(transaction))!;
        Assert.True(transaction.Commit().Succeeded);

        dynamic migrated = handle.Value;
        Assert.Equal(50, (int)migrated.Reveal());
        Assert.Equal(2, (int)migrated.Hits);
        Assert.Equal("north", (string)migrated.Origin);
        // The auto-property Name became the explicit field _name: matched by its logical name.
        Assert.Equal("vault", (string)migrated.Name);
    }

    [Fact]
    public void AGraphWithACycleAndASharedNodeKeepsItsShape()
    {
        using var store = new StateStore();
        var v1 = Generation.Compile(Sources.Graph);
        dynamic oldA = ((dynamic)v1.Call("Graph.Module", "State", new StoreProvider(store))!).Value;

        var v2 = Generation.Compile(Sources.Graph);
        using var transaction = v2.MigrateFrom(store, v1);
        dynamic handle = v2.Call("Graph.Module", "State", new TransactionProvider(transaction))!;
        Assert.True(transaction.Commit().Succeeded);

        dynamic a = handle.Value;
        Assert.Equal(v2.Type("Graph.Node"), (Type)a.GetType());
        Assert.Same(a, a.Next.Next);
        Assert.Same(a.Other, a.Next.Other);
        Assert.Equal("shared", (string)a.Other.Id);
        Assert.Equal("b", (string)a.Next.Id);
        // Copy-on-write: the old graph is untouched and still of the old type.
        Assert.Equal(v1.Type("Graph.Node"), (Type)oldA.Next.GetType());
        Assert.Same(oldA, oldA.Next.Next);
    }

    [Fact]
    public void EnumsByNameCollectionsDictionariesAndNestedStructsMigrate()
    {
        using var store = new StateStore();
        var v1 = Generation.Compile(Sources.BagV1);
        _ = v1.Call("Bags.Module", "State", new StoreProvider(store));

        var v2 = Generation.Compile(Sources.BagV2);
        using var transaction = v2.MigrateFrom(store, v1);
        dynamic handle = v2.Call("Bags.Module", "State", new TransactionProvider(transaction))!;
        var report = transaction.Commit();
        Assert.True(report.Succeeded, report.ToString());

        dynamic bag = handle.Value;
        var color = v2.Type("Bags.Color");
        Assert.Equal(Enum.Parse(color, "Blue"), (object)bag.Favourite);
        Assert.Equal(10, (int)bag.Favourite);
        Assert.Equal(2, (int)bag.Points.Count);
        Assert.Equal(3, (int)bag.Points[1].X);
        Assert.Equal(4, (int)bag.Points[1].Y);
        Assert.Equal(100, (int)bag.Points[1].Z);
        Assert.Equal(6, (int)bag.Corners[1].Y);
        Assert.Equal(9, (int)bag.Maybe.X);
        Assert.Same(bag.Items["pen"], bag.Items["alias"]);
        Assert.Equal(Enum.Parse(color, "Red"), (object)bag.Items["pen"].Color);
        Assert.Equal(2, (int)bag.CountByColor[(dynamic)Enum.Parse(color, "Blue")]);
        Assert.True((bool)bag.Colors.Contains((dynamic)Enum.Parse(color, "Green")));
        Assert.Equal("second", (string)bag.Undo.Peek());
        Assert.Equal(10, (int)bag.Pending.Peek());
        Assert.Same(bag.Items["pen"], bag.Mixed[0]);
        Assert.Equal("text", (string)bag.Mixed[1]);
        Assert.Equal(5L, (long)bag.Small);
        Assert.Equal(0.5d, (double)bag.Ratio);
        Assert.Equal([1, 2, 3], (List<int>)bag.Plain);
    }
}
