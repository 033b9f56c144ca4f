using System.Text.RegularExpressions;
using Fleet.Api.Infrastructure;
using Fleet.Data.Entities;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Fleet.Api.Features.Violations.Pages;

/// <summary>
/// The rules' and validators' English messages these pages can meet, in Chinese (the shared table in Workspace/Messages
/// knows only a few yet). A message not here is left as it is, so Messages shows it with its kind.
/// </summary>
public static class RuleText
{
    private static readonly (Regex Pattern, Func<Match, string> Chinese)[] Known =
    [
        (new(@"^Give vehicleId or plateNumber\.$"), _ => "请填写车牌号。"),
        (new(@"^Not a mainland plate\.$"), _ => "不是有效的车牌号。"),
        (new(@"^A check cannot be in the future\.$"), _ => "检查时间不能晚于现在。"),
        (new(@"^Too far in the past\.$"), _ => "时间过早。"),
        (new(@"^The plate is not in the register"), _ => "该车牌不在车辆登记中：请选择发现该车的单位。"),
        (new(@"^The vehicle is registered by another unit"), _ => "该车登记在其他单位：请选择其登记单位。"),
        (new(@"^The vehicle's plate is (.+)\.$"), m => $"该车的车牌号是 {m.Groups[1].Value}。"),
        (new(@"^No unit has this id\.$"), _ => "单位不存在。"),
        (new(@"^No spot check has this id\.$"), _ => "要更正的抽查记录不存在。"),
        (new(@"^No campaign has this id\.$"), _ => "专项清理不存在。"),
        (new(@"^That check was already corrected"), _ => "这条抽查已被更正过：如需再改，请更正那条更正记录。"),
        (new(@"^The check was not saved"), _ => "未保存：所更正的抽查或相关封存单同时被他人修改，请重新提交。"),
        (new(@"^The violation was dismissed"), _ => "该违规已撤销，不能再登记处理。"),
        (new(@"^The violation is already (\w+)\.$"), m => $"该违规已是“{Label<ViolationStatus>(m)}”。"),
        (new(@"^The (violation|case|exemption|exemption or its order) changed meanwhile"), _ => "这条记录已被他人修改：请刷新后再操作。"),
        (new(@"^The exemption was already (\w+)\.$"), m => $"该申请已是“{Label<ExemptionStatus>(m)}”。"),
        (new(@"^The order is (\w+) now"), m => $"该车封存单现为“{Label<SealOrderStatus>(m)}”，不能再豁免。"),
        (new(@"^The case is already (\w+)\.$"), m => $"该案件已是“{Label<RecoveryStatus>(m)}”。"),
        (new(@"^Cannot be in the future\.$"), _ => "收回日期不能晚于今天。"),
        (new(@"^Cannot be before the case was opened \((.+)\)\.$"), m => $"收回日期不能早于认定日期（{m.Groups[1].Value}）。"),
        (new(@"^A recovery case for (.+) is already open\.$"), m => $"{m.Groups[1].Value} 已有待收回的案件。"),
        (new(@"^The vehicle is (\w+); only an active vehicle"), m => $"该车现为“{Label<VehicleStatus>(m)}”，只有在用车辆才能认定收回。"),
        (new(@"^The due date cannot be before the campaign starts\.$"), _ => "收回期限不能早于专项清理开始日期。"),
        (new(@"^A campaign named (.+) exists\.$"), m => $"已有名为“{m.Groups[1].Value}”的专项清理。"),
        (new(@"^A campaign cannot end before it starts\.$"), _ => "结束日期不能早于开始日期。"),
        (new(@"^This is for "), _ => "您的角色不能办理此事项。"),
        // Reasons the rules write when they close a violation themselves (shown on the violation).
        (new(@"^Settled by recovery case \S+ \((.+) recovered\)\.$"), m => $"车辆已收回（{m.Groups[1].Value}），随收回案件办结。"),
        (new(@"^Corrected by spot check \S+\.$"), _ => "原抽查记录已更正，随之撤销。"),
        (new(@"^Exemption \S+, asked before the seal deadline, was approved\.$"), _ => "封存时限前申请的豁免已获批准，随之撤销。"),
    ];

    private static string Label<T>(Match m) where T : struct, Enum =>
        Enum.TryParse<T>(m.Groups[1].Value, out var value) ? Labels.Of(value) : m.Groups[1].Value;

    /// <summary>Field names the shared table (Workspace.Fields) does not name yet, as FluentValidation's Chinese messages quote them.</summary>
    private static readonly (string English, string Chinese)[] FieldNames =
        [("'Position'", "'职务'"), ("'Action'", "'处理方式'"), ("'DueOn'", "'收回期限'"), ("不能为Null。", "不能为空。")];

    public static string? Chinese(string english)
    {
        foreach (var (pattern, chinese) in Known)
            if (pattern.Match(english) is { Success: true } match) return chinese(match);
        var named = FieldNames.Aggregate(english, (text, name) => text.Replace(name.English, name.Chinese, StringComparison.Ordinal));
        return named == english ? null : named;
    }

    /// <summary>The outcome with its refusal's message in Chinese, when known.</summary>
    public static Outcome<T> InChinese<T>(this Outcome<T> outcome) =>
        outcome.Refusal is { } refusal && Chinese(refusal.Message) is { } text ? new Outcome<T>(default, refusal with { Message = text }) : outcome;

    /// <summary>Rewrites the known English messages already in ModelState (the validators' own texts).</summary>
    public static void InChinese(this ModelStateDictionary state)
    {
        foreach (var entry in state.Values)
        {
            var errors = entry.Errors.ToList();
            if (!errors.Any(e => Chinese(e.ErrorMessage) is not null)) continue;
            entry.Errors.Clear();
            foreach (var error in errors) entry.Errors.Add(Chinese(error.ErrorMessage) ?? error.ErrorMessage);
        }
    }
}
