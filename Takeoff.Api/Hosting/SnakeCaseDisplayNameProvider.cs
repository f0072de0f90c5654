using System.Text.Json;
using Microsoft.AspNetCore.Mvc.ModelBinding.Metadata;

namespace Takeoff.Api.Hosting;

/// <summary>
/// Validation messages name a property the way the client wrote it ("sampling_topp"), not by its C# name.
/// </summary>
public sealed class SnakeCaseDisplayNameProvider : IDisplayMetadataProvider
{
    public void CreateDisplayMetadata(DisplayMetadataProviderContext context)
    {
        if (context.Key.MetadataKind == ModelMetadataKind.Property && context.Key.Name is { } name)
            context.DisplayMetadata.DisplayName ??= () => JsonNamingPolicy.SnakeCaseLower.ConvertName(name);
    }
}
