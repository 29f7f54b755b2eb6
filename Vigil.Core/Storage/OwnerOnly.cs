namespace Vigil.Core.Storage;

/// <summary>
/// Files and folders that hold secrets or data (the database, the Data Protection key ring) are readable by their owner
/// only: folders 0700, files 0600. A no-op on Windows, whose ACLs follow the user profile.
/// </summary>
public static class OwnerOnly
{
    public const UnixFileMode Folder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode File = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates the folder, and any missing parent, 0700; tightens an existing one to 0700.</summary>
    public static void CreateFolder(string path)
    {
        if (OperatingSystem.IsWindows()) { Directory.CreateDirectory(path); return; }
        path = Path.GetFullPath(path);
        if (Directory.Exists(path)) { Tighten(path, Folder); return; }
        var parent = Path.GetDirectoryName(path);
        if (parent is not null && !Directory.Exists(parent)) CreateFolder(parent);
        Directory.CreateDirectory(path, Folder);
    }

    /// <summary>Drops group and other permissions of an existing file or folder (a file of another owner is left alone).</summary>
    public static void Tighten(string path, UnixFileMode mode)
    {
        if (OperatingSystem.IsWindows()) return;
        try
        {
            if ((System.IO.File.GetUnixFileMode(path) & ~mode) != 0) System.IO.File.SetUnixFileMode(path, mode);
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
