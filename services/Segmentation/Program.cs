using Personalization.Segmentation;
using Personalization.Segmentation.Api;
using Personalization.Segmentation.Rebuild;
using Personalization.Segmentation.Segments.Discovery;
using Personalization.ServiceDefaults;

if (args is [RebuildCommand.Verb, ..])
    return await RebuildCommand.RunAsync(args[1..]);
if (args is [DiscoverCommand.Verb, ..])
    return await DiscoverCommand.RunAsync(args[1..]);

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddSegmentation();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapQueueDepthsApi();
app.MapActorEndpoints();
app.MapProfilesApi();
app.MapProfileFeedAdminApi();
app.MapSegmentsAdminApi();
app.MapSegmentMembersAdminApi();
app.MapSegmentsApi();
app.MapDiscoveryAdminApi();
await app.RunAsync();
return 0;
