using LLama;
using Takeoff.Engine.Models;
using Takeoff.Engine.Text;

namespace Takeoff.Engine.Readers;

/// <summary>What <see cref="ModelLoader"/> hands either kind of model: the weights and what was read from them.</summary>
internal sealed record LoadedWeights(ModelEntry Entry, LLamaWeights Weights, ComputeDevice Device, string NativeLibrary,
    ModelText Text, ChatTemplate ChatTemplate, ModelFacts Facts, TimeProvider Time);
