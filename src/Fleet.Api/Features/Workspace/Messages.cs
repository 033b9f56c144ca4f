using System.Text.RegularExpressions;
using Fleet.Api.Infrastructure;

namespace Fleet.Api.Features.Workspace;

/// <summary>
/// The rules answer in the contract's English; people read Chinese. Known messages are translated here (patterns
/// for the ones that carry values); anything not yet in the table is shown by its kind in Chinese, with the English
/// detail after it, so nothing is ever hidden.
/// </summary>
public static partial class Messages
{
    private static readonly (Regex Pattern, string Chinese)[] Known =
    [
        (new(@"^The record changed since it was read"), "这条记录已被他人修改：请重新打开，确认最新内容后再改。"),
        (new(@"^The vehicle changed meanwhile"), "这辆车已被他人修改：请重新打开，确认最新内容后再改。"),
        (new(@"^(.+) was not found\.$"), "未找到该记录（或不在您的权限范围内）。"),
        (new(@"^A vehicle administrator cannot move a vehicle to another unit"), "单位车辆管理员不能把车辆转到其他单位。"),
        (new(@"^The vehicle is disposed"), "该车已处置，记录仅供查阅，不能修改。"),
        (new(@"^The vehicle is already disposed"), "该车已处置。"),
        (new(@"^Wrong username or password"), "用户名或密码错误。"),
    ];

    public static string Chinese(Refusal refusal) => Chinese(refusal.Message, refusal.Kind);

    public static string Chinese(string message, RefusalKind kind = RefusalKind.Invalid)
    {
        foreach (var (pattern, chinese) in Known)
        {
            var match = pattern.Match(message);
            if (match.Success) return match.Result(chinese);
        }
        var prefix = kind switch
        {
            RefusalKind.NotFound => "未找到",
            RefusalKind.Forbidden => "无权操作",
            RefusalKind.Conflict => "无法办理",
            RefusalKind.PreconditionFailed => "记录已被他人修改",
            _ => "填写有误",
        };
        return $"{prefix}：{message}";
    }
}
