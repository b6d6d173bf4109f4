using Personalization.Ingestion;
using Personalization.Ingestion.Api;
using Personalization.ServiceDefaults;

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
    app.MapTrackingPlansAdminApi();
}
app.Run();

/// <summary>Entry point, visible to the tests' host factory.</summary>
public partial class Program;
