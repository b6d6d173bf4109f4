using Personalization.ServiceDefaults;

namespace Personalization.Recommendation.Interactions;

/// <summary>Where a verb's interactions come from: a file in a format, or a tenant's event log.</summary>
public sealed record InteractionSourceOptions(string? Path, string? Tenant, string Format, IReadOnlyList<string>? Columns)
{
    public static InteractionSourceOptions From(VerbOptions options)
    {
        var (path, tenant) = (options.Text("interactions"), options.Text("event-log"));
        if ((path is null) == (tenant is null)) throw new UsageException("give either --interactions FILE or --event-log TENANT");
        var format = options.Text("format") ?? "generic";
        if (format is not ("generic" or "online-retail")) throw new UsageException($"unknown format '{format}' (generic or online-retail)");
        return new(path, tenant, format, options.Text("columns")?.Split(','));
    }

    public string Description => Tenant is null ? Path! : $"event log of tenant {Tenant}";

    public async Task<InteractionFile> ReadAsync(TextWriter progress, CancellationToken cancellationToken)
    {
        if (Tenant is not null) return await EventLogSource.ReadAsync(Tenant, progress, cancellationToken);
        try
        {
            return Format == "online-retail" ? OnlineRetailReader.ReadFile(Path!) : new GenericCsvReader { Columns = Columns }.ReadFile(Path!);
        }
        catch (Exception ex) when (ex is IOException or FormatException or UnauthorizedAccessException)
        {
            throw new UsageException($"{Path}: {ex.Message}");
        }
    }
}
