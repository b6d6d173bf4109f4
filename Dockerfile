# syntax=docker/dockerfile:1
# One image per service, built from the solution (k8s/ and docker-compose.yml use them):
#   docker build --build-arg SERVICE=Ingestion -t ghcr.io/personalization/ingestion:0.1.0 .
# SERVICE is Ingestion, Segmentation, Recommendation, Triggers or AdminConsole. Arguments after the image name go to
# the service (`migrate`, `rebuild-profiles`, ...). Base images are pinned: move them with each .NET patch release.
FROM mcr.microsoft.com/dotnet/sdk:10.0.100-noble AS build
ARG SERVICE
WORKDIR /src
COPY . .
RUN test -n "$SERVICE" && dotnet publish "services/$SERVICE/$SERVICE.csproj" -c Release -o /app -p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0.0-noble
# LightGBM (predictive segments in Segmentation, the ranker in Recommendation) links the GNU OpenMP runtime.
RUN apt-get update && apt-get install -y --no-install-recommends libgomp1 && rm -rf /var/lib/apt/lists/*
ARG SERVICE
ENV ASPNETCORE_HTTP_PORTS=8080 \
    SERVICE_ASSEMBLY=/app/Personalization.${SERVICE}.dll
WORKDIR /app
COPY --from=build /app .
# The image's unprivileged user (uid 1654), as the manifests' securityContext expects.
USER $APP_UID
EXPOSE 8080
ENTRYPOINT ["sh", "-c", "exec dotnet \"$SERVICE_ASSEMBLY\" \"$@\"", "--"]
