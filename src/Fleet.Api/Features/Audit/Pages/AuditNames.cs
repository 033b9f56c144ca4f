namespace Fleet.Api.Features.Audit.Pages;

/// <summary>
/// What the audit trail's record types and actions are called in Chinese. The stored names are the code's (entity
/// class names, rule actions); one not listed here shows as stored, so nothing is hidden.
/// </summary>
public static class AuditNames
{
    public static readonly Dictionary<string, string> Entities = new()
    {
        ["Unit"] = "单位",
        ["User"] = "用户",
        ["Vehicle"] = "车辆",
        ["Holiday"] = "节假日",
        ["SealUpSchedule"] = "封存安排",
        ["SealUpScheduleUnit"] = "封存安排范围",
        ["SealOrder"] = "封存任务",
        ["Exemption"] = "豁免申请",
        ["Reminder"] = "廉政提醒短信",
        ["SpotCheck"] = "监督抽查",
        ["SpotCheckCorrection"] = "抽查更正",
        ["Violation"] = "违规",
        ["PersonAction"] = "责任人处理",
        ["Campaign"] = "专项清理",
        ["RecoveryCase"] = "追缴",
        ["Region"] = "行政区划",
        ["Evidence"] = "照片证据",
        ["UsageImport"] = "用车记录导入",
        ["Report"] = "报表",
    };

    public static readonly Dictionary<string, string> Actions = new()
    {
        ["Create"] = "新增",
        ["Update"] = "修改",
        ["Delete"] = "删除",
        ["SignIn"] = "登录",
        ["Reset"] = "重置密码",
        ["ChangePassword"] = "修改密码",
        ["Seal"] = "封存",
        ["Release"] = "启封",
        ["ReleaseEarly"] = "提前启封",
        ["Exempt"] = "豁免",
        ["Approve"] = "批准",
        ["Reject"] = "驳回",
        ["Overdue"] = "逾期未封存",
        ["Breach"] = "封存被破坏",
        ["Restore"] = "恢复封存",
        ["Send"] = "发送",
        ["SendFailed"] = "发送失败",
        ["Resolve"] = "整改",
        ["Dismiss"] = "撤销",
        ["Dispose"] = "处置",
        ["UnderRecovery"] = "转入待收回",
        ["Recover"] = "收回",
        ["Recovered"] = "车辆已收回",
        ["Cancel"] = "撤销追缴",
        ["RecoveryCancelled"] = "撤销追缴，车辆恢复在用",
        ["PastDue"] = "逾期未收回",
        ["Download"] = "下载报表",
    };

    public static string Entity(string name) => Entities.TryGetValue(name, out var label) ? label : name;

    public static string Action(string name) => Actions.TryGetValue(name, out var label) ? label : name;
}
