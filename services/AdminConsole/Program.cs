using Personalization.AdminConsole;
using Personalization.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddAdminConsole();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapAdminConsole();
await app.RunAsync();
