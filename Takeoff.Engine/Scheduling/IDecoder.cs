using LLama.Batched;
using LLama.Native;

namespace Takeoff.Engine.Scheduling;

/// <summary>
/// Where a scheduler meets llama.cpp: making its shared context, and one decode step over it. The seam where
/// failure happens, so that tests can make a decode fail, a context's re-creation throw, or a step stall.
/// </summary>
internal interface IDecoder
{
    BatchedExecutor CreateExecutor();

    Task<DecodeResult> DecodeAsync(BatchedExecutor executor, CancellationToken cancellation);
}
