using Personalization.Recommendation;
using Personalization.Recommendation.Api;
using Personalization.Recommendation.Evaluation;
using Personalization.Recommendation.Interactions;
using Personalization.ServiceDefaults;

if (args is [EvaluateCommand.Verb, ..])
    return await EvaluateCommand.RunAsync(args[1..], Console.Out, CancellationToken.None);
if (args is [ExportInteractionsCommand.Verb, ..])
    return await ExportInteractionsCommand.RunAsync(args[1..], Console.Out, CancellationToken.None);

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddRecommendation();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapQueueDepthsApi();
app.MapModelsAdminApi();
app.MapDriftAdminApi();
app.MapScenariosAdminApi();
app.MapExperimentsAdminApi();
app.MapAttributionAdminApi();
app.MapPlacementsAdminApi();
app.MapDecisionsApi();
app.MapRecommendationsApi();
await app.RunAsync();
return 0;
