using System.Buffers;
using System.Text;

namespace Molt.Compilation.Server;

/// <summary>
/// Reads one message's fields strictly: every count and length is checked against what is left,
/// text must be valid UTF-8, and the message must end exactly where its last field does.
/// </summary>
internal sealed class MessageReader(byte[] message)
{
    private static readonly UTF8Encoding s_strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private int _offset;

    public int ReadInt32() => BitConverter.ToInt32(Take(4));

    public long ReadInt64() => BitConverter.ToInt64(Take(8));

    public byte ReadByte() => Take(1)[0];

    public bool ReadBool() => ReadByte() switch
    {
        0 => false,
        1 => true,
        var b => throw new CompileProtocolException($"Malformed message: {b} is not a boolean."),
    };

    /// <summary>A count of items, each at least <paramref name="minItemBytes"/> long: never more than the rest could hold.</summary>
    public int ReadCount(int minItemBytes)
    {
        var count = ReadInt32();
        return count < 0 || (long)count * Math.Max(1, minItemBytes) > message.Length - _offset
            ? throw new CompileProtocolException($"Malformed message: a count of {count} at byte {_offset}.")
            : count;
    }

    public byte[] ReadBytes() => Take(ReadCount(1)).ToArray();

    public string ReadString()
    {
        try
        {
            return s_strict.GetString(Take(ReadCount(1)));
        }
        catch (DecoderFallbackException ex)
        {
            throw new CompileProtocolException("Malformed message: text that is not UTF-8.", ex);
        }
    }

    public string? ReadNullableString() => ReadBool() ? ReadString() : null;

    /// <exception cref="CompileProtocolException">Bytes are left over.</exception>
    public void End()
    {
        if (_offset != message.Length)
        {
            throw new CompileProtocolException($"Malformed message: {message.Length - _offset} byte(s) after its end.");
        }
    }

    private ReadOnlySpan<byte> Take(int length)
    {
        if (length > message.Length - _offset)
        {
            throw new CompileProtocolException($"Malformed message: it ends at byte {message.Length}, inside a field.");
        }

        var span = message.AsSpan(_offset, length);
        _offset += length;
        return span;
    }
}

/// <summary>Writes the fields <see cref="MessageReader"/> reads.</summary>
internal sealed class MessageWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new();

    public MessageWriter Int32(int value) => Raw(BitConverter.GetBytes(value));

    public MessageWriter Int64(long value) => Raw(BitConverter.GetBytes(value));

    public MessageWriter Byte(byte value) => Raw([value]);

    public MessageWriter Bool(bool value) => Byte(value ? (byte)1 : (byte)0);

    public MessageWriter Bytes(ReadOnlySpan<byte> value) => Int32(value.Length).Raw(value);

    public MessageWriter String(string value) => Bytes(Encoding.UTF8.GetBytes(value));

    public MessageWriter NullableString(string? value) => value is null ? Bool(false) : Bool(true).String(value);

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

    private MessageWriter Raw(ReadOnlySpan<byte> bytes)
    {
        _buffer.Write(bytes);
        return this;
    }
}
