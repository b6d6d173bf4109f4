using Personalization.Recommendation.Evaluation;
using Personalization.ServiceDefaults;

if (args is [EvaluateCommand.Verb, ..])
    return EvaluateCommand.Run(args[1..], Console.Out);

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();

var app = builder.Build();
app.MapDefaultEndpoints();
await app.RunAsync();
return 0;
