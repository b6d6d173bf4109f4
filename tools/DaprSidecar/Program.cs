using Personalization.DaprSidecar;

// A stand-in for daprd's actor API on machines without daprd: dotnet Personalization.DaprSidecar.dll --urls http://127.0.0.1:3500
SidecarHost.Build(args).Run();
