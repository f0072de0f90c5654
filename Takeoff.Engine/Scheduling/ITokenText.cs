namespace Takeoff.Engine.Scheduling;

/// <summary>One choice's detokenizer: tokens in, the text they make certain out (a character split over tokens waits).</summary>
internal interface ITokenText
{
    string Add(int token);
}
