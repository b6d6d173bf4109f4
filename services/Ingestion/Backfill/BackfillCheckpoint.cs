using System.Text.Json;

namespace Personalization.Ingestion.Backfill;

/// <summary>
/// The last row of a file whose batch the API acknowledged with a 2xx. A run of the same file resumes after it;
/// rows sent again around it are harmless, since their message ids deduplicate. The file's path and length are
/// kept so a checkpoint is never applied to a different file. Written whole to a temporary file, then renamed,
/// so a crash leaves the previous checkpoint rather than half of one.
/// </summary>
public sealed record BackfillCheckpoint(string File, long FileLength, string Format, long Row, DateTimeOffset SavedAt)
{
    public static string DefaultPathFor(string file) => file + ".backfill-checkpoint";

    /// <summary>Holds the checkpoint for one run: two runs moving the same checkpoint would undo each other's progress.</summary>
    public static IDisposable Lock(string path)
    {
        try
        {
            return new FileStream(path + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (Exception ex) when (ex is DirectoryNotFoundException or UnauthorizedAccessException)
        {
            throw new BackfillException($"The checkpoint {path} cannot be written ({ex.Message}); pass --checkpoint with a writable path.");
        }
        catch (IOException)
        {
            throw new BackfillException($"another backfill is using the checkpoint {path}; wait for it to end, or pass another --checkpoint.");
        }
    }

    public static BackfillCheckpoint? Load(string path)
    {
        if (!System.IO.File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<BackfillCheckpoint>(System.IO.File.ReadAllText(path), JsonSerializerOptions.Web)
                ?? throw new JsonException("empty");
        }
        catch (JsonException ex)
        {
            throw new BackfillException($"The checkpoint {path} cannot be read ({ex.Message}); delete it to start from the beginning.");
        }
    }

    /// <summary>True when this checkpoint was made for that file, unchanged, in that format.</summary>
    public bool IsFor(string file, long fileLength, string format) => File == file && FileLength == fileLength && Format == format;

    public void Save(string path)
    {
        var temporary = path + ".tmp";
        try
        {
            System.IO.File.WriteAllText(temporary, JsonSerializer.Serialize(this, JsonSerializerOptions.Web));
            System.IO.File.Move(temporary, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new BackfillException($"The checkpoint {path} cannot be written ({ex.Message}); pass --checkpoint with a writable path.");
        }
    }
}
