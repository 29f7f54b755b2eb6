using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Vigil.Core.Ingest.Otlp;
using Vigil.Core.Ingest.Otlp.Proto;
using Vigil.Web.Auth;

namespace Vigil.Web.Ingest.Grpc;

/// <summary>OTLP/gRPC <c>LogsService/Export</c>: the same ingest as <c>POST /v1/logs</c>.</summary>
[Authorize(Policy = AuthExtensions.ProjectKeyPolicy)]
internal sealed class LogsGrpcService(OtlpIngestService otlp, IngestLimiter gate) : LogsService.LogsServiceBase
{
    public override Task<ExportLogsServiceResponse> Export(ExportLogsServiceRequest request, ServerCallContext context) =>
        OtlpGrpcCall.ExportAsync(context, gate, (project, ct) => otlp.ExportLogsAsync(project, request, ct), r => r.ToLogsResponse());
}
