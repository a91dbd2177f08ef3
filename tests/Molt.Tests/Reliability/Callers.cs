namespace Molt.Tests.Reliability;

/// <summary>
/// A thread that keeps calling an entry point while a reload runs, and records every call that
/// failed or returned a value outside the allowed ones.
/// </summary>
internal sealed class Callers
{
    private readonly Task _loop;
    private readonly HashSet<string> _allowed;
    private long _calls;
    private long _failures;
    private string? _firstProblem;
    private volatile bool _stopping;

    private Callers(Func<string> call, IEnumerable<string> allowed)
    {
        _allowed = [.. allowed];
        _loop = Task.Factory.StartNew(() => Run(call), TaskCreationOptions.LongRunning);
    }

    public static Callers Start(Func<string> call, params string[] allowed) => new(call, allowed);

    /// <summary>Stops the calls and asserts that there were some and that every one succeeded with an allowed value.</summary>
    public async Task StopAndAssertAsync()
    {
        _stopping = true;
        await _loop.WaitAsync(Infrastructure.TestTimeouts.Reload);
        Assert.True(_failures == 0, $"{_failures} of {_calls} calls failed or returned another value; first: {_firstProblem}");
        Assert.True(_calls > 0, "no call ran during the reload");
    }

    private void Run(Func<string> call)
    {
        while (!_stopping)
        {
            _calls++;
            try
            {
                var value = call();
                if (!_allowed.Contains(value))
                {
                    Fail($"returned '{value}', expected one of: {string.Join(", ", _allowed)}");
                }
            }
            catch (Exception ex)
            {
                Fail(ex.ToString());
            }

            // Continuous (a hundred thousand calls a second), but paced: a thread that spins flat
            // out takes a whole core of two from the reload it races and from the tests beside it.
            if (_calls % 100 == 0)
            {
                Thread.Sleep(1);
            }
        }
    }

    private void Fail(string problem)
    {
        _failures++;
        _firstProblem ??= problem;
    }
}
