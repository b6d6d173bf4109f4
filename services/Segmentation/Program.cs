using Personalization.Segmentation;
using Personalization.Segmentation.Api;
using Personalization.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddSegmentation();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapProfilesApi();
app.Run();
