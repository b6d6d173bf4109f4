using Personalization.Segmentation;
using Personalization.Segmentation.Api;
using Personalization.Segmentation.Rebuild;
using Personalization.ServiceDefaults;

if (args is [RebuildCommand.Verb, ..])
    return await RebuildCommand.RunAsync(args[1..]);

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddSegmentation();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapActorEndpoints();
app.MapProfilesApi();
app.MapSegmentsAdminApi();
app.MapSegmentsApi();
await app.RunAsync();
return 0;
