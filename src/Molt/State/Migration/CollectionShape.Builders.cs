using System.Collections;
using System.Reflection;

namespace Molt.State;

/// <summary>How each kind of collection is built from its items.</summary>
internal sealed partial class CollectionShape
{
    private abstract class Builder
    {
        /// <summary>Gets a value indicating whether equal items (or keys) collapse into one.</summary>
        public virtual bool IsKeyed => false;

        /// <summary>Gets the generic definition to rebuild as, when it is not the type's own (an abstract public base).</summary>
        public Type? Definition { get; init; }

        /// <summary>Creates the empty collection now, when it can be filled later (so a cycle through it can refer to it); else <see langword="null"/>.</summary>
        public virtual object? Begin(Type type, int count, object? comparer, object? like) => null;

        /// <summary>Fills what <see cref="Begin"/> created, or builds the collection from the items.</summary>
        public abstract (object Collection, int Collapsed) Complete(object? begun, Type type, IReadOnlyList<object?> items, object? comparer, object? like);

        /// <summary>Creates an empty <paramref name="type"/>, given the comparer if there is one.</summary>
        protected static object Create(Type type, object? comparer)
        {
            if (comparer is null)
            {
                return Activator.CreateInstance(type)!;
            }

            var constructor = type.GetConstructors().FirstOrDefault(c => c.GetParameters() is [var p] && p.ParameterType.IsInstanceOfType(comparer) && p.ParameterType.IsInterface)
                ?? throw new InvalidOperationException($"{type.Name} has no constructor taking a {comparer.GetType().Name}");
            return constructor.Invoke([comparer]);
        }
    }

    private sealed class ArrayBuilder(Type element, int rank) : Builder
    {
        public override object? Begin(Type type, int count, object? comparer, object? like)
        {
            var target = type.GetElementType() ?? element;
            if (rank == 1)
            {
                return Array.CreateInstance(target, count);
            }

            var (lengths, lower) = Dimensions(like);
            return lengths.Length == rank && lengths.Aggregate(1L, (product, length) => product * length) == count
                ? Array.CreateInstance(target, lengths, lower)
                : throw new InvalidOperationException($"the {count} items do not fill a {ValueConversions.Describe(type)} of lengths [{string.Join(", ", lengths)}]");
        }

        public override (object Collection, int Collapsed) Complete(object? begun, Type type, IReadOnlyList<object?> items, object? comparer, object? like)
        {
            var array = (Array)(begun ?? Begin(type, items.Count, comparer, like)!);
            if (rank == 1)
            {
                for (var i = 0; i < items.Count; i++)
                {
                    array.SetValue(items[i], i);
                }

                return (array, 0);
            }

            var lower = Enumerable.Range(0, rank).Select(array.GetLowerBound).ToArray();
            var index = (int[])lower.Clone();
            foreach (var item in items)
            {
                array.SetValue(item, index);
                for (var d = rank - 1; d >= 0 && ++index[d] == lower[d] + array.GetLength(d); d--)
                {
                    index[d] = lower[d];
                }
            }

            return (array, 0);
        }

        /// <summary>
        /// The lengths (and lower bounds) of a multi-dimensional array: the old array's when it is
        /// migrated, the neutral node's when it is read back from a snapshot or a custom migration's input.
        /// </summary>
        private static (int[] Lengths, int[] Lower) Dimensions(object? like) => like switch
        {
            Array { Rank: > 1 } old => (
                [.. Enumerable.Range(0, old.Rank).Select(old.GetLength)],
                [.. Enumerable.Range(0, old.Rank).Select(old.GetLowerBound)]),
            StateList { Lengths: { } lengths } => ([.. lengths], new int[lengths.Count]),
            _ => throw new InvalidOperationException("a multi-dimensional array is built only from another, or from a neutral list that has its lengths"),
        };
    }

    private sealed class AddBuilder(string method) : Builder
    {
        public bool Reverse { get; init; }

        public bool IsSet { get; init; }

        public override bool IsKeyed => IsSet;

        public override object? Begin(Type type, int count, object? comparer, object? like) => Create(type, comparer);

        public override (object Collection, int Collapsed) Complete(object? begun, Type type, IReadOnlyList<object?> items, object? comparer, object? like)
        {
            var collection = begun ?? Create(type, comparer);
            var collapsed = 0;
            if (collection is IList list)
            {
                foreach (var item in items)
                {
                    list.Add(item);
                }

                return (collection, 0);
            }

            var add = type.GetMethod(method, BindingFlags.Public | BindingFlags.Instance, [type.GenericTypeArguments[0]])
                ?? throw new InvalidOperationException($"{type.Name} has no {method} method");
            var arguments = new object?[1];
            for (var i = 0; i < items.Count; i++)
            {
                arguments[0] = items[Reverse ? items.Count - 1 - i : i];
                if (add.Invoke(collection, arguments) is false)
                {
                    collapsed++;
                }
            }

            return (collection, collapsed);
        }
    }

    private sealed class DictionaryBuilder : Builder
    {
        public override bool IsKeyed => true;

        public override object? Begin(Type type, int count, object? comparer, object? like) => Create(type, comparer);

        public override (object Collection, int Collapsed) Complete(object? begun, Type type, IReadOnlyList<object?> items, object? comparer, object? like)
        {
            var dictionary = (IDictionary)(begun ?? Create(type, comparer));
            var collapsed = 0;
            foreach (DictionaryEntry entry in items.Cast<DictionaryEntry>())
            {
                if (dictionary.Contains(entry.Key))
                {
                    collapsed++;
                    continue;
                }

                dictionary.Add(entry.Key, entry.Value);
            }

            return (dictionary, collapsed);
        }
    }

    /// <summary>A priority queue: each element queued with its priority, under the comparer; nothing collapses.</summary>
    private sealed class PriorityQueueBuilder : Builder
    {
        public override object? Begin(Type type, int count, object? comparer, object? like) => Create(type, comparer);

        public override (object Collection, int Collapsed) Complete(object? begun, Type type, IReadOnlyList<object?> items, object? comparer, object? like)
        {
            var queue = begun ?? Create(type, comparer);
            var enqueue = type.GetMethod("Enqueue", BindingFlags.Public | BindingFlags.Instance, type.GenericTypeArguments)
                ?? throw new InvalidOperationException($"{type.Name} has no Enqueue method");
            foreach (var entry in items.Cast<DictionaryEntry>())
            {
                enqueue.Invoke(queue, [entry.Key, entry.Value]);
            }

            return (queue, 0);
        }
    }

    /// <summary>Immutable and frozen collections: a typed list of the items handed to their factory method.</summary>
    private sealed class FactoryBuilder(Type factory, string method) : Builder
    {
        public bool Reverse { get; init; }

        public bool IsSet { get; init; }

        public bool TakesComparer { get; init; }

        public bool ComparerLast { get; init; }

        public override bool IsKeyed => IsSet;

        public override (object Collection, int Collapsed) Complete(object? begun, Type type, IReadOnlyList<object?> items, object? comparer, object? like)
        {
            var arguments = (Definition is null ? type : type.BaseTypes().First(b => b.IsConstructedGenericType && b.GetGenericTypeDefinition() == Definition)).GenericTypeArguments;
            var element = arguments.Length == 2 ? typeof(KeyValuePair<,>).MakeGenericType(arguments) : arguments[0];
            var typed = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(element), items.Count)!;
            for (var i = 0; i < items.Count; i++)
            {
                var item = items[Reverse ? items.Count - 1 - i : i];
                typed.Add(arguments.Length == 2 && item is DictionaryEntry entry ? Activator.CreateInstance(element, entry.Key, entry.Value) : item);
            }

            var generic = factory.GetMethods(BindingFlags.Public | BindingFlags.Static)
                .Where(m => m.Name == method && m.GetGenericArguments().Length == arguments.Length)
                .Select(m => m.MakeGenericMethod(arguments))
                .First(m => Fits(m.GetParameters(), element));
            var parameters = generic.GetParameters().Length;
            object?[] call = parameters == 1 ? [typed] : ComparerLast ? [typed, comparer] : [comparer, typed];
            var collection = generic.Invoke(null, call)!;
            return (collection, IsSet ? items.Count - Count(collection) : 0);
        }

        private bool Fits(ParameterInfo[] parameters, Type element)
        {
            var sequence = typeof(IEnumerable<>).MakeGenericType(element);
            return (TakesComparer || ComparerLast)
                ? parameters.Length == 2 && (ComparerLast ? parameters[0] : parameters[1]).ParameterType == sequence
                  && (ComparerLast ? parameters[1] : parameters[0]).ParameterType.IsInterface
                : parameters.Length == 1 && parameters[0].ParameterType == sequence;
        }
    }
}
