using Personalization.ServiceDefaults;
using Personalization.Triggers;
using Personalization.Triggers.Api;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddTriggers();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapQueueDepthsApi();
app.MapActorEndpoints();
app.MapTemplatesAdminApi();
app.MapJourneysAdminApi();
app.MapContactPolicyApi();
app.MapMessagesAdminApi();
app.MapUnsubscribeApi();
app.MapTrackingLinksApi();
await app.RunAsync();
