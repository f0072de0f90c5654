using System.Text;
using Takeoff.Engine.Generation;

namespace Takeoff.Engine.Scheduling;

/// <summary>
/// An output gathered on the scheduler's loop and handed over once, whole: a caller that answers at the end is woken
/// once per request, not once per token (on a small machine those wake-ups compete with the decode for the cores).
/// </summary>
internal sealed class CollectedOutput : GenerationOutput
{
    private readonly TaskCompletionSource<GenerationResult> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly StringBuilder[] _texts;
    private readonly List<GeneratedToken>[] _tokens;
    private readonly GenerationSummary?[] _summaries;
    private readonly int[] _prompts;
    private GenerationUsage? _usage;

    public CollectedOutput(int sequences, CancellationToken caller) : base(sequences, caller)
    {
        _texts = Enumerable.Range(0, sequences).Select(_ => new StringBuilder()).ToArray();
        _tokens = Enumerable.Range(0, sequences).Select(_ => new List<GeneratedToken>()).ToArray();
        _summaries = new GenerationSummary?[sequences];
        _prompts = new int[sequences];
    }

    public Task<GenerationResult> Result => _result.Task;

    protected override void Deliver(GenerationChunk chunk)
    {
        _texts[chunk.Choice].Append(chunk.Text);
        _tokens[chunk.Choice].AddRange(chunk.Tokens);
        _summaries[chunk.Choice] ??= chunk.Summary;
        _prompts[chunk.Choice] = chunk.Prompt;
        _usage ??= chunk.Usage;
    }

    protected override void Complete() => _result.TrySetResult(new GenerationResult(Enumerable.Range(0, _texts.Length)
        .Select(i => new ChoiceResult(i, _prompts[i], _texts[i].ToString(), _tokens[i], _summaries[i]!))
        .ToArray(), _usage!));

    protected override void CompleteWith(Exception error)
    {
        if (error is OperationCanceledException cancelled)
            _result.TrySetCanceled(cancelled.CancellationToken);
        else
            _result.TrySetException(error);
    }
}
