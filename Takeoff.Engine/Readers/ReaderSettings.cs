namespace Takeoff.Engine.Readers;

/// <summary>Where the engine's readers come from and how they are stopped: settings a management API reports.</summary>
/// <param name="ModelsDirectory">The folder holding the GGUF files, as a full path.</param>
/// <param name="ModelsFile">The model catalog (models.json), as configured.</param>
/// <param name="StopGrace">How long a removed reader's running requests get to finish before they are ended early.</param>
public sealed record ReaderSettings(string ModelsDirectory, string ModelsFile, TimeSpan StopGrace);
