using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Vigil.Core.Ingest.Otlp;
using Vigil.Core.Ingest.Otlp.Proto;
using Vigil.Web.Auth;

namespace Vigil.Web.Ingest.Grpc;

/// <summary>OTLP/gRPC <c>TraceService/Export</c>: the same ingest as <c>POST /v1/traces</c> with OTLP.</summary>
[Authorize(Policy = AuthExtensions.ProjectKeyPolicy)]
internal sealed class TraceGrpcService(OtlpIngestService otlp, IngestLimiter gate) : TraceService.TraceServiceBase
{
    public override Task<ExportTraceServiceResponse> Export(ExportTraceServiceRequest request, ServerCallContext context) =>
        OtlpGrpcCall.ExportAsync(context, gate, (project, ct) => otlp.ExportTracesAsync(project, request, ct), r => r.ToTraceResponse());
}
