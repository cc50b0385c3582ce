# syntax=docker/dockerfile:1
# The aibaseline operator image: build with the .NET SDK, run on the Ubuntu Chiseled ASP.NET
# runtime (no shell, no package manager). Kestrel serves /healthz, /readyz and /metrics, so the
# aspnet runtime is the base; a framework-dependent, portable publish keeps one build for every
# architecture and avoids trimming the Kubernetes client's reflection-based serializers.
#
#   docker build -t ghcr.io/aibaseline/aibaseline:0.1.0 --build-arg REVISION=$(git rev-parse HEAD) .
#
# The version label is the <Version> of Directory.Build.props, which the binary reports; change both together.

ARG DOTNET_VERSION=10.0

FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION}-noble AS build
WORKDIR /source
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# Restore first, from the project files alone, so the package layer is cached across source edits.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/AiBaseline.Api/AiBaseline.Api.csproj src/AiBaseline.Api/
COPY src/AiBaseline.Engine/AiBaseline.Engine.csproj src/AiBaseline.Engine/
COPY src/AiBaseline.Provenance/AiBaseline.Provenance.csproj src/AiBaseline.Provenance/
COPY src/AiBaseline.Controller/AiBaseline.Controller.csproj src/AiBaseline.Controller/
COPY src/AiBaseline/AiBaseline.csproj src/AiBaseline/
RUN dotnet restore src/AiBaseline/AiBaseline.csproj

COPY src/ src/
RUN dotnet publish src/AiBaseline/AiBaseline.csproj -c Release --no-restore \
      -p:UseAppHost=false -p:DebugType=none -o /app

FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION}-noble-chiseled AS runtime
ARG REVISION=unknown
ARG CREATED=1970-01-01T00:00:00Z
LABEL org.opencontainers.image.title="aibaseline" \
      org.opencontainers.image.description="Kubernetes operator that checks AI model deployments against the ETSI EN 304 223 baseline" \
      org.opencontainers.image.source="https://github.com/aibaseline/aibaseline" \
      org.opencontainers.image.url="https://github.com/aibaseline/aibaseline" \
      org.opencontainers.image.documentation="https://github.com/aibaseline/aibaseline/blob/main/docs/install.md" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.vendor="aibaseline" \
      org.opencontainers.image.version="0.1.0" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.base.name="mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled"

WORKDIR /app
COPY --from=build --chown=0:0 /app/ ./

# Kestrel must not bind port 8080 on its own (ASPNETCORE_HTTP_PORTS is set by the base image);
# the operator binds the ports its --metrics-bind-address and --health-probe-bind-address name.
# The runtime's diagnostics socket goes to /tmp: mount an emptyDir there when the root
# filesystem is read-only (deploy/ and the chart do), or set DOTNET_EnableDiagnostics=0.
# Workstation GC: one small process under a 512Mi limit does not need a heap per core.
ENV ASPNETCORE_HTTP_PORTS= \
    DOTNET_gcServer=0

# Numeric so the kubelet can verify runAsNonRoot; matches runAsUser in deploy/ and the chart.
USER 65532:65532
EXPOSE 8080 8081
ENTRYPOINT ["dotnet", "/app/aibaseline.dll", "operator"]
