using System.Collections.Immutable;
using System.Globalization;
using System.Reflection;
using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Molt.Compilation;
using Molt.Interop;

namespace Molt.Loading;

/// <summary>
/// Loads large images from files instead of from memory. Loading from a stream copies the image
/// twice more into fresh memory, page by page (~35 ms for a 6 MB image on a virtual machine whose
/// page faults are dear); a file is mapped by the runtime, lazily, from the page cache (~13 ms with
/// writing it). Each image goes to a directory of its own, with its PDB under the name the image
/// gives it (stack traces read it from there), inside a private directory of the engine (mode 0700,
/// on tmpfs when <c>/dev/shm</c> is there). The image file is deleted once loaded (the mapping stays),
/// its directory when its load context unloads, the engine's directory when the engine is disposed,
/// and directories left by processes that died when the next engine makes its own.
/// </summary>
internal sealed class ImageFiles : IDisposable
{
    /// <summary>Images smaller than this are loaded from memory: a file would cost more than it saves.</summary>
    public const int Threshold = 1024 * 1024;

    private const string Prefix = "molt-images-";

    private readonly Lazy<string?> _root;
    private readonly int _threshold;
    private int _next;

    /// <param name="parent">Where to make the engine's directory; <see langword="null"/> for <c>/dev/shm</c> when there is one, else the temporary directory.</param>
    /// <param name="threshold">The size from which an image is loaded from a file.</param>
    public ImageFiles(string? parent = null, int threshold = Threshold)
    {
        _root = new(() => CreateRoot(parent));
        _threshold = threshold;
    }

    /// <summary>Loads <paramref name="compiled"/> into <paramref name="context"/> from a file; <see langword="null"/> when it is small or cannot be written (the caller loads it from memory).</summary>
    public Assembly? TryLoad(ModuleLoadContext context, CompiledModule compiled)
    {
        if (compiled.Image.Length < _threshold || _root.Value is not { } root)
        {
            return null;
        }

        var directory = Path.Combine(root, Interlocked.Increment(ref _next).ToString(CultureInfo.InvariantCulture));
        var image = Path.Combine(directory, compiled.AssemblyName + ".dll");
        try
        {
            Directory.CreateDirectory(directory);
            File.WriteAllBytes(image, compiled.Image);
            if (compiled.Pdb is { } pdb && PdbName(compiled.Image) is { } name)
            {
                File.WriteAllBytes(Path.Combine(directory, name), pdb);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Full (a small /dev/shm in a container) or gone: memory will do.
            Delete(directory);
            return null;
        }

        context.Unloading += _ => Delete(directory);
        try
        {
            return context.LoadFromAssemblyPath(image);
        }
        finally
        {
            File.Delete(image);
        }
    }

    public void Dispose()
    {
        if (_root.IsValueCreated && _root.Value is { } root)
        {
            Delete(root);
        }
    }

    /// <summary>The file name the image's debug directory gives its PDB, which is where stack traces look for it beside the image.</summary>
    private static string? PdbName(byte[] image)
    {
        using var pe = new PEReader(ImmutableCollectionsMarshal.AsImmutableArray(image));
        var codeView = pe.ReadDebugDirectory().FirstOrDefault(e => e.Type == DebugDirectoryEntryType.CodeView);
        return codeView.DataSize == 0 ? null : Path.GetFileName(pe.ReadCodeViewDebugDirectoryData(codeView).Path) is { Length: > 0 } name ? name : null;
    }

    private static string? CreateRoot(string? parent)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        parent ??= Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        try
        {
            RemoveStale(parent);
            var root = Path.Combine(parent, $"{Prefix}{Environment.ProcessId}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}");
            Directory.CreateDirectory(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

            // Made by this process, private, not a link: nobody else can change an image before it is loaded.
            return UnixInterop.TryGetOwnerAndMode(root, out var uid, out var mode) && uid == UnixInterop.EffectiveUserId && (mode & 0xF000) == 0x4000 && (mode & 0x1FF) == 0x1C0
                ? root
                : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            return null;
        }
    }

    /// <summary>Deletes the directories of this user's processes that died without cleaning up.</summary>
    private static void RemoveStale(string parent)
    {
        foreach (var stale in Directory.EnumerateDirectories(parent, Prefix + "*"))
        {
            var pid = Path.GetFileName(stale)[Prefix.Length..].Split('-')[0];
            if (int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id != Environment.ProcessId && !Directory.Exists($"/proc/{id}")
                && UnixInterop.TryGetOwnerAndMode(stale, out var uid, out _) && uid == UnixInterop.EffectiveUserId)
            {
                Delete(stale);
            }
        }
    }

    private static void Delete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Already gone, or the system's temporary cleaning takes it.
        }
    }
}
