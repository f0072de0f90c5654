namespace Takeoff.Engine.Models;

/// <summary>A model file is missing, cannot be fetched, or is not what models.json says it is.</summary>
internal sealed class ModelFileException(string message, Exception? inner = null) : Exception(message, inner);
