using LLama;
using LLama.Native;

namespace Takeoff.Engine.Scheduling;

/// <summary>
/// Where a scheduler meets llama.cpp: making its shared context, and one decode of a batch over it. The seam where
/// failure happens, so that tests can make a decode fail, a context's re-creation throw, or a step stall.
/// </summary>
internal interface IDecoder
{
    LLamaContext CreateContext();

    /// <summary>Runs on the scheduler's own thread, synchronously: the loop does nothing else meanwhile.</summary>
    DecodeResult Decode(LLamaContext context, LLamaBatch batch);
}
