#!/usr/bin/env bash
# Chaos under load: builds the suite and runs bench/Chaos (see its Program.cs) on a PostgreSQL and RabbitMQ of its own.
# Stop ./run.sh first: the figures need the machine to themselves.
# Usage: bench/Chaos/chaos.sh [rate=2000] [users=2000] [down-seconds=5] [settle-seconds=15]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
dotnet build Personalization.sln -c Release -nologo -v quiet -clp:ErrorsOnly
exec dotnet bench/Chaos/bin/Release/net10.0/Personalization.Chaos.dll "$@"
