namespace Fleet.Api.Features.Workspace;

/// <summary>
/// What a role sees first on the home page (workspace.md): a partial view of the area that owns those figures. Each
/// area's section is registered where the areas are composed (Features/Modules.cs); the home page names no area.
/// </summary>
public sealed record HomeSection(Role Role, string View);

public static class HomeSections
{
    public static IServiceCollection AddHomeSection(this IServiceCollection services, Role role, string view) =>
        services.AddSingleton(new HomeSection(role, view));
}
