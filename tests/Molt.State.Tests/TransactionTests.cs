namespace Molt.State.Tests;

public sealed class TransactionTests
{
    [Fact]
    public void AnIncompatibleChangeFailsTheReloadWithThePathAndLeavesOldStateUntouched()
    {
        using var store = new StateStore();
        var v1 = Generation.Compile(Sources.TeamV1);
        dynamic old = v1.Call("Teams.Module", "State", new StoreProvider(store), MigrationFailurePolicy.FailReload)!;
        var before = (object)old.Value;

        var v2 = Generation.Compile(Sources.TeamV2);
        using (var transaction = v2.MigrateFrom(store, v1))
        {
            var failure = Assert.Single(transaction.Report.Failures);
            Assert.Equal(SlotMigrationOutcome.Failed, failure.Outcome);
            Assert.Contains("Game.Players[0].Score: cannot convert String to Int32", failure.Reason);

            // Declaring it again with the same policy keeps the failure (the reload fails after the load hooks); the handle has nothing to read.
            dynamic unusable = v2.Call("Teams.Module", "State", new TransactionProvider(transaction), MigrationFailurePolicy.FailReload)!;
            Assert.Throws<StaleStateHandleException>(() => (object)unusable.Value);
            Assert.False(transaction.Commit().Succeeded);
        }

        Assert.Same(before, (object)old.Value);
        Assert.Equal("s3", (string)old.Value.Players[3].Score);
        old.Value = (dynamic)v1.Call("Teams.Module", "Make")!;
        Assert.Equal(v1.Type("Teams.Team"), (Type)old.Value.GetType());
    }

    [Fact]
    public void PolicyResetStagesTheInitialValueAndReportsWhy()
    {
        using var store = new StateStore();
        var v1 = Generation.Compile(Sources.TeamV1);
        _ = v1.Call("Teams.Module", "State", new StoreProvider(store), MigrationFailurePolicy.Reset);

        var v2 = Generation.Compile(Sources.TeamV2);
        using var transaction = v2.MigrateFrom(store, v1);
        dynamic handle = v2.Call("Teams.Module", "State", new TransactionProvider(transaction), MigrationFailurePolicy.Reset)!;
        var report = transaction.Commit();

        Assert.True(report.Succeeded);
        var slot = report["module", "Game"]!;
        Assert.Equal(SlotMigrationOutcome.Reset, slot.Outcome);
        Assert.Contains("Game.Players[0].Score", slot.Reason);
        Assert.Equal(0, (int)handle.Value.Players.Count);
        Assert.Equal("fresh", (string)handle.Value.Motto);
    }

    [Fact]
    public void WritesToALiveSlotAfterStagingAreMigratedAtCommit()
    {
        using var store = new StateStore();
        var image = Generation.Build(Sources.Counter);
        var v1 = Generation.Load(image);
        var oldProvider = new StoreProvider(store);
        Assert.Equal(1, v1.Call("Counter.Module", "Bump", oldProvider));

        var v2 = Generation.Load(image);
        using var transaction = v2.MigrateFrom(store, v1);
        var newProvider = new TransactionProvider(transaction);
        Assert.Equal(1, v2.Call("Counter.Module", "Read", newProvider));

        // The old generation keeps serving and writing live values while the new one sees the staged value.
        Assert.Equal(2, v1.Call("Counter.Module", "Bump", oldProvider));
        Assert.Equal(3, v1.Call("Counter.Module", "Bump", oldProvider));
        Assert.Equal(1, v2.Call("Counter.Module", "Read", newProvider));

        Assert.True(transaction.Commit().Succeeded);
        Assert.Equal(3, v2.Call("Counter.Module", "Read", new StoreProvider(store)));
    }

    [Fact]
    public void AnObjectTwoValuesShareIsStillOneObjectWhenOneOfThemIsWrittenAfterStaging()
    {
        using var store = new StateStore();
        var image = Generation.Build(Sources.SharedBox);
        var v1 = Generation.Load(image);
        var oldProvider = new StoreProvider(store);
        Assert.True((bool)v1.Call("Shared.Module", "OneBox", oldProvider)!);

        var v2 = Generation.Load(image);
        using var transaction = v2.MigrateFrom(store, v1);
        var newProvider = new TransactionProvider(transaction);
        Assert.True((bool)v2.Call("Shared.Module", "OneBox", newProvider)!);

        // Only "a" is written after staging; "b" reaches the same box, so both are migrated again, together.
        Assert.Equal(1, v1.Call("Shared.Module", "Bump", oldProvider));
        Assert.True(transaction.Commit().Succeeded);

        var live = new StoreProvider(store);
        Assert.True((bool)v2.Call("Shared.Module", "OneBox", live)!);
        Assert.Equal(1, v2.Call("Shared.Module", "CountOfB", live));
    }

    [Fact]
    public void OldGenerationHandlesReadTheValueAsAtTheSwitchAndTheirWritesAreRejected()
    {
        using var store = new StateStore();
        var image = Generation.Build(Sources.Counter);
        var v1 = Generation.Load(image);
        dynamic oldHandle = v1.Call("Counter.Module", "State", new StoreProvider(store))!;
        var shared = store.GetOrCreate(StateStore.SharedScope, "hits", () => 1, MigrationFailurePolicy.FailReload);

        var before = (object)oldHandle.Value;
        var v2 = Generation.Load(image);
        using var transaction = v2.MigrateFrom(store, v1);
        _ = v2.Call("Counter.Module", "State", new TransactionProvider(transaction));
        var report = transaction.Commit();

        Assert.Equal(SlotMigrationOutcome.CarriedOver, report[StateStore.SharedScope, "hits"]!.Outcome);
        var stale = Assert.Throws<StaleStateHandleException>(() => oldHandle.Value = (dynamic)Activator.CreateInstance(v1.Type("Counter.Tally"))!);
        Assert.Contains("module/tally", stale.Message);

        // A call of the old generation still running after the switch reads what it started with.
        Assert.Same(before, (object)oldHandle.Value);
        Assert.NotSame(v1.Type("Counter.Tally"), store.GetOrCreate<object>("module", "tally", () => null!, MigrationFailurePolicy.FailReload).Value.GetType());
        // A slot whose type did not change keeps its handles working.
        shared.Value = 2;
        Assert.Equal(2, store.GetOrCreate(StateStore.SharedScope, "hits", () => 0, MigrationFailurePolicy.FailReload).Value);
    }

    [Fact]
    public void DisposingWithoutCommitLeavesEverythingAsItWas()
    {
        using var store = new StateStore();
        var image = Generation.Build(Sources.Counter);
        var v1 = Generation.Load(image);
        dynamic oldHandle = v1.Call("Counter.Module", "State", new StoreProvider(store))!;
        var before = (object)oldHandle.Value;

        var v2 = Generation.Load(image);
        using (var transaction = v2.MigrateFrom(store, v1))
        {
            _ = v2.Call("Counter.Module", "Bump", new TransactionProvider(transaction));
            _ = transaction.GetOrCreate("module", "added-by-new-generation", () => 5, MigrationFailurePolicy.FailReload);
        }

        Assert.Same(before, (object)oldHandle.Value);
        Assert.Equal(1, store.Count);
        Assert.Equal(1, v1.Call("Counter.Module", "Bump", new StoreProvider(store)));

        // And a new transaction can start.
        using var again = v2.MigrateFrom(store, v1);
        Assert.True(again.Succeeded);
    }

    [Fact]
    public async Task UpdateIsACompareAndSwapUnderContention()
    {
        using var store = new StateStore();
        var counter = store.GetOrCreate("host", "n", () => 0L, MigrationFailurePolicy.FailReload);
        var workers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                counter.Update(n => n + 1);
            }
        }));
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(40_000L, counter.Value);
    }
}
