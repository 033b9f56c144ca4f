using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Fleet.Api.Features.Workspace;

/// <summary>
/// A form or query field of an enum takes one of its names or its Chinese label, nothing else: MVC's own binder takes
/// numbers and comma-joined names too ("LawEnforcement, SpecialPurpose" is Emergency, exempt from sealing).
/// </summary>
public sealed class EnumBinder(Type type) : IModelBinder
{
    public Task BindModelAsync(ModelBindingContext context)
    {
        var result = context.ValueProvider.GetValue(context.ModelName);
        if (result == ValueProviderResult.None) return Task.CompletedTask;
        context.ModelState.SetModelValue(context.ModelName, result);
        var text = result.FirstValue?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            // An empty choice is no choice: null for an optional field, "required" is the validator's to say.
            if (Nullable.GetUnderlyingType(context.ModelType) is not null) context.Result = ModelBindingResult.Success(null);
            return Task.CompletedTask;
        }
        if (Labels.TryParse(type, text, out var value))
            context.Result = ModelBindingResult.Success(value);
        else
            context.ModelState.TryAddModelError(context.ModelName, $"请从以下选项中选择：{string.Join("、", Labels.Names(type))}。");
        return Task.CompletedTask;
    }
}

public sealed class EnumBinderProvider : IModelBinderProvider
{
    public IModelBinder? GetBinder(ModelBinderProviderContext context) =>
        EnumNames.EnumOf(context.Metadata.ModelType) is { } type ? new EnumBinder(type) : null;
}
