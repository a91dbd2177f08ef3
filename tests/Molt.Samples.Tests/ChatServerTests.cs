using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Molt.Samples.Tests;

/// <summary>The task-per-connection chat server, edited while six people talk.</summary>
public sealed partial class ChatServerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task EveryoneStaysConnectedAndGetsEveryMessageOnceWhileTheRoomIsEditedFourTimes()
    {
        var modules = SamplePaths.CopyModules("ChatServer");
        var chat = Path.Combine(modules, "chat.cs");
        var original = await File.ReadAllTextAsync(chat);
        await using var sample = SampleProcess.Start("ChatServer", "--port", "0", "--modules", modules);
        var port = int.Parse(Listening().Match(await sample.WaitForLineAsync(l => Listening().IsMatch(l), Timeout)).Groups[1].Value);

        const int People = 6;
        const int Messages = 15;
        var people = new List<Person>();
        for (var i = 0; i < People; i++)
        {
            people.Add(await Person.JoinAsync(port, $"u{i}"));
        }

        // Everyone is in the room before anyone talks (a message reaches those present).
        foreach (var person in people)
        {
            await person.WaitForAsync($"* u{People - 1} joined");
        }

        // Everyone's last message waits for the fourth edit: it is answered by the last generation however slow the machine.
        var edited = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var talking = people.Select(p => p.TalkAsync(Messages, edited.Task)).ToArray();
        for (var edit = 1; edit <= 4; edit++)
        {
            await File.WriteAllTextAsync(chat, original.Replace("$\"<{me.Nick}> {line}\"", $"$\"<{{me.Nick}}> {{line}} #{edit}\"", StringComparison.Ordinal));
            await sample.WaitForLineAsync(l => l.Contains($"Reloaded generation {edit + 1} ", StringComparison.Ordinal), Timeout);
        }

        edited.SetResult();

        await Task.WhenAll(talking).WaitAsync(Timeout);
        foreach (var person in people)
        {
            var heard = await person.HeardAllAsync(People * Messages);
            var expected = people.SelectMany(p => Enumerable.Range(1, Messages).Select(n => $"{p.Nick} m{n}")).Order();
            Assert.Equal(expected, heard.Order());
            Assert.EndsWith("#4", person.LastMessageLine, StringComparison.Ordinal);
        }

        // The counts lived in persistent state through four reloads (each Member migrated).
        var who = await people[0].AskAsync("/who");
        Assert.All(people, p => Assert.Contains($"{p.Nick} ({Messages})", who, StringComparison.Ordinal));
        people.ForEach(p => p.Dispose());
    }

    [GeneratedRegex(@"listening on 127\.0\.0\.1:(\d+)")]
    private static partial Regex Listening();

    private sealed partial class Person : IDisposable
    {
        private readonly TcpClient _tcp = new();
        private readonly List<string> _heard = [];
        private StreamReader _reader = null!;
        private Stream _stream = null!;
        private Task _reading = Task.CompletedTask;
        private readonly SemaphoreSlim _arrived = new(0);

        public string Nick { get; private set; } = "";

        public string LastMessageLine { get; private set; } = "";

        public static async Task<Person> JoinAsync(int port, string nick)
        {
            var person = new Person { Nick = nick };
            await person._tcp.ConnectAsync("127.0.0.1", port).WaitAsync(Timeout);
            person._stream = person._tcp.GetStream();
            person._reader = new StreamReader(person._stream, Encoding.UTF8);
            Assert.Equal("welcome! your nick?", await person._reader.ReadLineAsync().WaitAsync(Timeout));
            await person.SendAsync(nick);
            person._reading = Task.Run(person.ReadAllAsync);
            return person;
        }

        public async Task TalkAsync(int messages, Task beforeTheLast)
        {
            for (var n = 1; n <= messages; n++)
            {
                if (n == messages)
                {
                    await beforeTheLast.WaitAsync(Timeout);
                }

                await SendAsync($"m{n}", splitAt: Random.Shared.Next(0, 3));
                await Task.Delay(Random.Shared.Next(20, 120));
            }
        }

        public async Task<IReadOnlyList<string>> HeardAllAsync(int count)
        {
            var deadline = DateTime.UtcNow + Timeout;
            while (Messages().Count < count)
            {
                Assert.False(_reading.IsCompleted, $"{Nick} was disconnected: {_reading.Exception}");
                var left = deadline - DateTime.UtcNow;
                Assert.True(left > TimeSpan.Zero && await _arrived.WaitAsync(left), $"{Nick} heard {Messages().Count} of {count} messages:\n{string.Join("\n", Lines())}");
            }

            return Messages();
        }

        public async Task WaitForAsync(string line)
        {
            using var timeout = new CancellationTokenSource(Timeout);
            while (!Lines().Contains(line))
            {
                await _arrived.WaitAsync(timeout.Token);
            }
        }

        public async Task<string> AskAsync(string command)
        {
            var before = Lines().Count;
            await SendAsync(command);
            using var timeout = new CancellationTokenSource(Timeout);
            while (true)
            {
                if (Lines().Skip(before).FirstOrDefault(l => l.StartsWith("* here:", StringComparison.Ordinal)) is { } answer)
                {
                    return answer;
                }

                await _arrived.WaitAsync(timeout.Token);
            }
        }

        public void Dispose() => _tcp.Dispose();

        private List<string> Lines()
        {
            lock (_heard)
            {
                return [.. _heard];
            }
        }

        private List<string> Messages()
        {
            var messages = Lines().Select(l => Message().Match(l)).Where(m => m.Success).ToList();
            if (messages.Count > 0)
            {
                LastMessageLine = messages[^1].Value;
            }

            return [.. messages.Select(m => $"{m.Groups[1].Value} {m.Groups[2].Value}")];
        }

        private async Task SendAsync(string line, int splitAt = -1)
        {
            var bytes = Encoding.UTF8.GetBytes(line + "\n");
            var first = splitAt < 0 ? bytes.Length : splitAt;
            await _stream.WriteAsync(bytes.AsMemory(0, first));
            await _stream.FlushAsync();
            await _stream.WriteAsync(bytes.AsMemory(first));
        }

        private async Task ReadAllAsync()
        {
            while (await _reader.ReadLineAsync() is { } line)
            {
                lock (_heard)
                {
                    _heard.Add(line);
                }

                _arrived.Release();
            }
        }

        [GeneratedRegex(@"^<(u\d+)> (m\d+)(?: #\d+)?$")]
        private static partial Regex Message();
    }
}
