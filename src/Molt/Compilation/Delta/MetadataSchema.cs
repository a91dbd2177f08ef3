namespace Molt.Compilation.Delta;

/// <summary>How one column of a metadata table is stored (ECMA-335 II.22, portable PDB tables).</summary>
internal enum ColumnKind : byte
{
    /// <summary>A 2-byte constant.</summary>
    U2,

    /// <summary>A 4-byte constant.</summary>
    U4,

    /// <summary>An offset into #Strings.</summary>
    String,

    /// <summary>A 1-based index into #GUID.</summary>
    Guid,

    /// <summary>An offset into #Blob.</summary>
    Blob,

    /// <summary>A row of one table.</summary>
    Table,

    /// <summary>A coded index: a row of one of several tables, tagged.</summary>
    Coded,
}

/// <summary>One column: its kind and, for a table index or coded index, which table or coding.</summary>
internal readonly record struct Column(ColumnKind Kind, int Target = 0);

/// <summary>A coded index: the tables it may point at (by tag) and how many low bits hold the tag.</summary>
internal sealed record CodedIndex(int TagBits, int[] Tables);

/// <summary>
/// The layout of every metadata table, for the type system (0x00-0x2C) and the portable PDB
/// (0x30-0x37). Rows are decoded into one <see cref="uint"/> per column, whatever the width on
/// disk, so a merge works on numbers and the writer picks the widths the new row counts need.
/// </summary>
internal static class MetadataSchema
{
    public const int TableCount = 64;

    // Coded index kinds (the order of their tables is the tag). -1 stands for an unused tag.
    public static readonly CodedIndex TypeDefOrRef = new(2, [0x02, 0x01, 0x1B]);
    public static readonly CodedIndex HasConstant = new(2, [0x04, 0x08, 0x17]);
    public static readonly CodedIndex HasCustomAttribute = new(5, [0x06, 0x04, 0x01, 0x02, 0x08, 0x09, 0x0A, 0x00, 0x0E, 0x17, 0x14, 0x11, 0x1A, 0x1B, 0x20, 0x23, 0x26, 0x27, 0x28, 0x2A, 0x2C, 0x2B]);
    public static readonly CodedIndex HasFieldMarshal = new(1, [0x04, 0x08]);
    public static readonly CodedIndex HasDeclSecurity = new(2, [0x02, 0x06, 0x20]);
    public static readonly CodedIndex MemberRefParent = new(3, [0x02, 0x01, 0x1A, 0x06, 0x1B]);
    public static readonly CodedIndex HasSemantics = new(1, [0x14, 0x17]);
    public static readonly CodedIndex MethodDefOrRef = new(1, [0x06, 0x0A]);
    public static readonly CodedIndex MemberForwarded = new(1, [0x04, 0x06]);
    public static readonly CodedIndex Implementation = new(2, [0x26, 0x23, 0x27]);
    public static readonly CodedIndex CustomAttributeType = new(3, [-1, -1, 0x06, 0x0A, -1]);
    public static readonly CodedIndex ResolutionScope = new(2, [0x00, 0x1A, 0x23, 0x01]);
    public static readonly CodedIndex TypeOrMethodDef = new(1, [0x02, 0x06]);
    public static readonly CodedIndex HasCustomDebugInformation = new(5, [.. HasCustomAttribute.Tables, 0x30, 0x32, 0x33, 0x34, 0x35]);

    private static readonly CodedIndex[] s_codings =
    [
        TypeDefOrRef, HasConstant, HasCustomAttribute, HasFieldMarshal, HasDeclSecurity, MemberRefParent, HasSemantics,
        MethodDefOrRef, MemberForwarded, Implementation, CustomAttributeType, ResolutionScope, TypeOrMethodDef, HasCustomDebugInformation,
    ];

    private static readonly Column[]?[] s_tables = Build();

    /// <summary>Gets the columns of <paramref name="table"/>; <see langword="null"/> for an index no table uses.</summary>
    public static Column[]? Columns(int table) => s_tables[table];

    /// <summary>Gets the coding a <see cref="ColumnKind.Coded"/> column names.</summary>
    public static CodedIndex Coding(int target) => s_codings[target];

    /// <summary>Encodes a row of <paramref name="table"/> as a coded index of <paramref name="coding"/>.</summary>
    public static uint Encode(CodedIndex coding, int table, int row)
    {
        var tag = Array.IndexOf(coding.Tables, table);
        return tag < 0 ? throw new InvalidOperationException($"table 0x{table:X2} is not in this coded index") : ((uint)row << coding.TagBits) | (uint)tag;
    }

    /// <summary>Decodes a coded index into its table and row (row 0: nil).</summary>
    public static (int Table, int Row) Decode(CodedIndex coding, uint value)
    {
        var tag = (int)(value & ((1u << coding.TagBits) - 1));
        return tag < coding.Tables.Length && coding.Tables[tag] >= 0
            ? (coding.Tables[tag], (int)(value >> coding.TagBits))
            : throw new BadImageFormatException($"coded index tag {tag} is not valid");
    }

    private static Column[]?[] Build()
    {
        static Column T(int table) => new(ColumnKind.Table, table);
        static Column C(CodedIndex coding) => new(ColumnKind.Coded, Array.IndexOf(s_codings, coding));
        Column u2 = new(ColumnKind.U2), u4 = new(ColumnKind.U4), s = new(ColumnKind.String), g = new(ColumnKind.Guid), b = new(ColumnKind.Blob);
        var t = new Column[]?[TableCount];
        t[0x00] = [u2, s, g, g, g];                       // Module
        t[0x01] = [C(ResolutionScope), s, s];            // TypeRef
        t[0x02] = [u4, s, s, C(TypeDefOrRef), T(0x04), T(0x06)]; // TypeDef
        t[0x03] = [T(0x04)];                              // FieldPtr
        t[0x04] = [u2, s, b];                             // Field
        t[0x05] = [T(0x06)];                              // MethodPtr
        t[0x06] = [u4, u2, u2, s, b, T(0x08)];            // MethodDef
        t[0x07] = [T(0x08)];                              // ParamPtr
        t[0x08] = [u2, u2, s];                            // Param
        t[0x09] = [T(0x02), C(TypeDefOrRef)];             // InterfaceImpl
        t[0x0A] = [C(MemberRefParent), s, b];            // MemberRef
        t[0x0B] = [u2, C(HasConstant), b];               // Constant
        t[0x0C] = [C(HasCustomAttribute), C(CustomAttributeType), b]; // CustomAttribute
        t[0x0D] = [C(HasFieldMarshal), b];               // FieldMarshal
        t[0x0E] = [u2, C(HasDeclSecurity), b];           // DeclSecurity
        t[0x0F] = [u2, u4, T(0x02)];                      // ClassLayout
        t[0x10] = [u4, T(0x04)];                          // FieldLayout
        t[0x11] = [b];                                    // StandAloneSig
        t[0x12] = [T(0x02), T(0x14)];                     // EventMap
        t[0x13] = [T(0x14)];                              // EventPtr
        t[0x14] = [u2, s, C(TypeDefOrRef)];              // Event
        t[0x15] = [T(0x02), T(0x17)];                     // PropertyMap
        t[0x16] = [T(0x17)];                              // PropertyPtr
        t[0x17] = [u2, s, b];                             // Property
        t[0x18] = [u2, T(0x06), C(HasSemantics)];        // MethodSemantics
        t[0x19] = [T(0x02), C(MethodDefOrRef), C(MethodDefOrRef)]; // MethodImpl
        t[0x1A] = [s];                                    // ModuleRef
        t[0x1B] = [b];                                    // TypeSpec
        t[0x1C] = [u2, C(MemberForwarded), s, T(0x1A)];  // ImplMap
        t[0x1D] = [u4, T(0x04)];                          // FieldRVA
        t[0x1E] = [u4, u4];                               // EncLog
        t[0x1F] = [u4];                                   // EncMap
        t[0x20] = [u4, u2, u2, u2, u2, u4, b, s, s];      // Assembly
        t[0x21] = [u4];                                   // AssemblyProcessor
        t[0x22] = [u4, u4, u4];                           // AssemblyOS
        t[0x23] = [u2, u2, u2, u2, u4, b, s, s, b];       // AssemblyRef
        t[0x24] = [u4, T(0x23)];                          // AssemblyRefProcessor
        t[0x25] = [u4, u4, u4, T(0x23)];                  // AssemblyRefOS
        t[0x26] = [u4, s, b];                             // File
        t[0x27] = [u4, u4, s, s, C(Implementation)];     // ExportedType
        t[0x28] = [u4, u4, s, C(Implementation)];        // ManifestResource
        t[0x29] = [T(0x02), T(0x02)];                     // NestedClass
        t[0x2A] = [u2, u2, C(TypeOrMethodDef), s];       // GenericParam
        t[0x2B] = [C(MethodDefOrRef), b];                // MethodSpec
        t[0x2C] = [T(0x2A), C(TypeDefOrRef)];             // GenericParamConstraint
        AddPdbTables(t);
        return t;
    }

    private static void AddPdbTables(Column[]?[] t)
    {
        static Column T(int table) => new(ColumnKind.Table, table);
        Column u4 = new(ColumnKind.U4), u2 = new(ColumnKind.U2), s = new(ColumnKind.String), g = new(ColumnKind.Guid), b = new(ColumnKind.Blob);
        t[0x30] = [b, g, b, g];                           // Document
        t[0x31] = [T(0x30), b];                           // MethodDebugInformation
        t[0x32] = [T(0x06), T(0x35), T(0x33), T(0x34), u4, u4]; // LocalScope
        t[0x33] = [u2, u2, s];                            // LocalVariable
        t[0x34] = [s, b];                                 // LocalConstant
        t[0x35] = [T(0x35), b];                           // ImportScope
        t[0x36] = [T(0x06), T(0x06)];                     // StateMachineMethod
        t[0x37] = [new(ColumnKind.Coded, Array.IndexOf(s_codings, HasCustomDebugInformation)), g, b]; // CustomDebugInformation
    }
}
