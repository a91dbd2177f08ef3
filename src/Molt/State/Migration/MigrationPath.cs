using System.Globalization;
using System.Text;

namespace Molt.State;

/// <summary>
/// Where a migration is in a value's graph. A stack of segments pushed and popped as the walk goes,
/// formatted only when a failure needs it, so the fast path allocates almost nothing.
/// </summary>
internal sealed class MigrationPath(string root)
{
    private readonly List<object?> _segments = [];

    public void Push(string member) => _segments.Add(member);

    public void PushIndex(int index) => _segments.Add(index);

    public void PushKey(object? key) => _segments.Add(new KeySegment(key));

    public void Pop() => _segments.RemoveAt(_segments.Count - 1);

    public StateMigrationException Fail(string reason, Exception? inner = null) => new(ToString(), reason, inner);

    public override string ToString()
    {
        var text = new StringBuilder(root);
        foreach (var segment in _segments)
        {
            _ = segment switch
            {
                int index => text.Append('[').Append(index.ToString(CultureInfo.InvariantCulture)).Append(']'),
                KeySegment key => text.Append('[').Append(FormatKey(key.Key)).Append(']'),
                _ => text.Append('.').Append(segment),
            };
        }

        return text.ToString();
    }

    private static string FormatKey(object? key) => key switch
    {
        null => "null",
        string s => $"\"{s}\"",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => key.ToString() ?? key.GetType().Name,
    };

    private sealed record KeySegment(object? Key);
}
