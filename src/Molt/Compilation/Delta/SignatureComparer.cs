namespace Molt.Compilation.Delta;

/// <summary>
/// Compares two method signatures of a merged image by meaning: a delta encodes a signature it
/// emits again with its own new TypeRef rows, so equal signatures may differ in their type tokens
/// (ECMA-335 II.23.2: the tokens follow CLASS, VALUETYPE, GENERICINST and custom modifiers).
/// </summary>
internal sealed class SignatureComparer(MetadataImage image, Func<int, int, bool> sameTypeRef)
{
    private const int TypeDef = 0x02;
    private const int TypeRef = 0x01;
    private const int TypeSpec = 0x1B;

    /// <summary>Whether the method signatures at the two #Blob offsets are the same.</summary>
    public bool SameMethod(uint a, uint b)
    {
        var (x, y) = (new Cursor(Heaps.Blob(image.Blobs, a).ToArray()), new Cursor(Heaps.Blob(image.Blobs, b).ToArray()));
        var convention = x.Byte();
        if (convention != y.Byte())
        {
            return false;
        }

        if ((convention & 0x10) != 0 && x.Int() != y.Int())
        {
            return false;
        }

        var count = x.Int();
        if (count != y.Int())
        {
            return false;
        }

        for (var i = 0; i <= count; i++)
        {
            if (!SameType(x, y))
            {
                return false;
            }
        }

        return x.AtEnd && y.AtEnd;
    }

    private bool SameType(Cursor x, Cursor y)
    {
        var element = x.Byte();
        if (element != y.Byte())
        {
            return false;
        }

        return element switch
        {
            0x0F or 0x10 or 0x1D or 0x45 => SameType(x, y),                       // PTR, BYREF, SZARRAY, PINNED
            0x11 or 0x12 => SameToken(x.Int(), y.Int()),                            // VALUETYPE, CLASS
            0x13 or 0x1E => x.Int() == y.Int(),                                     // VAR, MVAR
            0x1F or 0x20 => SameToken(x.Int(), y.Int()) && SameType(x, y),         // CMOD_REQD, CMOD_OPT
            0x15 => SameGenericInstance(x, y),                                      // GENERICINST
            0x14 or 0x1B => throw new MergeRefusedException("a signature with a general array or function pointer"),
            _ => true,                                                              // a primitive
        };
    }

    private bool SameGenericInstance(Cursor x, Cursor y)
    {
        if (x.Byte() != y.Byte() || !SameToken(x.Int(), y.Int()))
        {
            return false;
        }

        var count = x.Int();
        if (count != y.Int())
        {
            return false;
        }

        for (var i = 0; i < count; i++)
        {
            if (!SameType(x, y))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Two TypeDefOrRefOrSpec tokens (tag in the low two bits) naming the same type.</summary>
    private bool SameToken(int a, int b)
    {
        var (tableA, rowA) = MetadataSchema.Decode(MetadataSchema.TypeDefOrRef, (uint)a);
        var (tableB, rowB) = MetadataSchema.Decode(MetadataSchema.TypeDefOrRef, (uint)b);
        if (tableA != tableB || rowA == rowB)
        {
            return tableA == tableB;
        }

        return tableA switch
        {
            TypeRef => sameTypeRef(rowA, rowB),
            TypeSpec => SameType(new Cursor(Heaps.Blob(image.Blobs, image.Rows(TypeSpec)[rowA - 1][0]).ToArray()), new Cursor(Heaps.Blob(image.Blobs, image.Rows(TypeSpec)[rowB - 1][0]).ToArray())),
            TypeDef or _ => false,
        };
    }

    /// <summary>Reads a signature: bytes and compressed unsigned integers.</summary>
    private sealed class Cursor(byte[] data)
    {
        private int _at;

        public bool AtEnd => _at == data.Length;

        public byte Byte() => _at < data.Length ? data[_at++] : throw new BadImageFormatException("a signature ended early");

        public int Int()
        {
            var (length, prefix) = Heaps.BlobLength(data, _at);
            _at += prefix;
            return length;
        }
    }
}
