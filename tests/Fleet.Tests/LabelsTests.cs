using Fleet.Api.Features;

namespace Fleet.Tests;

/// <summary>Every value people can meet has its Chinese label (workspace.md): a new enum value without one fails here.</summary>
public class LabelsTests
{
    [Fact]
    public void Every_value_of_every_contract_enum_has_a_chinese_label()
    {
        var enums = typeof(Fleet.Data.Entities.Role).Assembly.GetTypes().Where(t => t.IsEnum && t.Namespace == "Fleet.Data.Entities").ToList();
        Assert.Equal(enums.OrderBy(t => t.Name).Select(t => t.Name), Labels.Enums.OrderBy(t => t.Name).Select(t => t.Name));
        var missing = enums.SelectMany(t => Enum.GetValues(t).Cast<Enum>()).Where(v => !Labels.Has(v)).Select(v => $"{v.GetType().Name}.{v}").ToList();
        Assert.Empty(missing);
        Assert.Equal("逾期未封存", Labels.Of(Fleet.Data.Entities.SealOrderStatus.Overdue));
        Assert.Equal("提前启封", Labels.Of(Fleet.Data.Entities.SealOrderStatus.Released, releasedEarly: true));
        Assert.Equal("诫勉谈话", Labels.Of(Fleet.Data.Entities.PersonActionKind.Admonishment));
        Assert.Equal("97.4%", Labels.Percent(0.974m));
    }
}
