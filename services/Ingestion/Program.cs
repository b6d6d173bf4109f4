using Personalization.Ingestion;
using Personalization.Ingestion.Api;
using Personalization.Ingestion.Backfill;
using Personalization.Ingestion.Catalog;
using Personalization.Ingestion.Storage;
using Personalization.ServiceDefaults;

if (args is [BackfillCommand.Verb, ..])
    return await BackfillCommand.RunAsync(args[1..]);
if (args is [MigrateCommand.Verb, ..])
    return await MigrateCommand.RunAsync(args[1..]);

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
var role = builder.AddIngestion();

var app = builder.Build();
app.MapDefaultEndpoints();
if (role == IngestionRole.Api)
{
    app.UseRateLimiter();
    app.MapTrackingApi();
    app.MapSourcesAdminApi();
    app.MapCatalogApi();
    app.MapTrackingPlansAdminApi();
    app.MapPrivacyAdminApi();
    app.MapLiveEventsApi();
    app.MapUsersAdminApi();
    app.MapOverviewAdminApi();
}
app.Run();
return 0;

/// <summary>Entry point, visible to the tests' host factory.</summary>
public partial class Program;
