using System.Collections.Frozen;

namespace Fleet.Api.Features;

/// <summary>
/// What people read for each contract value: the one table of Chinese labels, used by the pages and the reports
/// (the API keeps the English values of the contract). Terms follow 《党政机关公务用车管理办法》.
/// </summary>
public static class Labels
{
    private static readonly FrozenDictionary<Enum, string> Table = new Dictionary<Enum, string>
    {
        [Role.Admin] = "系统管理员",
        [Role.VehicleAdmin] = "单位车辆管理员",
        [Role.Inspector] = "监督检查人员",
        [Role.Auditor] = "审计人员",
        [UnitKind.Department] = "区直部门",
        [UnitKind.SubDistrictOffice] = "街道办事处",
        [UnitKind.Institution] = "事业单位",
        [VehicleCategory.General] = "一般公务用车",
        [VehicleCategory.LawEnforcement] = "执法执勤用车",
        [VehicleCategory.SpecialPurpose] = "特种专业技术用车",
        [VehicleCategory.Emergency] = "应急保障用车",
        [VehicleSource.Allocated] = "编制内配备",
        [VehicleSource.BorrowedFromEnterprise] = "借用企业车辆",
        [VehicleSource.Seconded] = "借用下属单位车辆",
        [VehicleSource.Unregistered] = "未登记车辆",
        [VehicleStatus.Active] = "在用",
        [VehicleStatus.UnderRecovery] = "待收回",
        [VehicleStatus.Recovered] = "已收回",
        [VehicleStatus.Disposed] = "已处置",
        [ScheduleStatus.Published] = "已发布",
        [ScheduleStatus.Active] = "封存中",
        [ScheduleStatus.Closed] = "已结束",
        [SealOrderStatus.Pending] = "待封存",
        [SealOrderStatus.Sealed] = "已封存",
        [SealOrderStatus.Overdue] = "逾期未封存",
        [SealOrderStatus.Exempted] = "已豁免",
        [SealOrderStatus.Breached] = "封存被破坏",
        [SealOrderStatus.Released] = "已启封",
        [ExemptionStatus.Requested] = "待审批",
        [ExemptionStatus.Approved] = "已批准",
        [ExemptionStatus.Rejected] = "已驳回",
        [SpotCheckFinding.Compliant] = "合规",
        [SpotCheckFinding.SealBroken] = "封条破损",
        [SpotCheckFinding.VehicleMissing] = "车辆不在位",
        [SpotCheckFinding.PrivateUse] = "公车私用",
        [SpotCheckFinding.OffSiteParking] = "未按规定停放",
        [SpotCheckFinding.UnregisteredVehicle] = "未登记车辆",
        [SpotCheckFinding.Other] = "其他",
        [UsageKind.Fuel] = "加油记录",
        [UsageKind.Toll] = "通行记录（ETC）",
        [UsageKind.Trip] = "行车记录",
        [ViolationType.OverQuota] = "超编制配备",
        [ViolationType.OverStandard] = "超标准配备",
        [ViolationType.IllegalSource] = "违规借用车辆",
        [ViolationType.SealDeadlineMissed] = "未按时封存",
        [ViolationType.SealBroken] = "封条破损",
        [ViolationType.VehicleMissing] = "车辆不在位",
        [ViolationType.PrivateUse] = "公车私用",
        [ViolationType.OffSiteParking] = "未按规定停放",
        [ViolationType.UnregisteredVehicle] = "未登记车辆",
        [ViolationType.UsedWhileSealed] = "封存期间使用",
        [ViolationType.OffHoursUse] = "非工作时间用车",
        [ViolationType.Other] = "其他",
        [ViolationSource.Registration] = "登记核查",
        [ViolationSource.SealUpJob] = "封存核查",
        [ViolationSource.SpotCheck] = "监督抽查",
        [ViolationSource.Manual] = "人工录入",
        [ViolationSource.UsageCheck] = "用车记录比对",
        [ViolationStatus.Open] = "待处理",
        [ViolationStatus.Resolved] = "已整改",
        [ViolationStatus.Dismissed] = "已撤销",
        [PersonActionKind.Reminder] = "提醒谈话",
        [PersonActionKind.Admonishment] = "诫勉谈话",
        [PersonActionKind.Criticism] = "批评教育",
        [PersonActionKind.PartyDiscipline] = "党纪处分",
        [PersonActionKind.GovernmentSanction] = "政务处分",
        [PersonActionKind.Transferred] = "移送司法机关",
        [RecoveryReason.OverQuota] = "超编制",
        [RecoveryReason.BorrowedFromEnterprise] = "借用企业车辆",
        [RecoveryReason.OverStandard] = "超标准",
        [RecoveryReason.Unregistered] = "未登记",
        [RecoveryReason.Other] = "其他",
        [RecoveryStatus.Open] = "待收回",
        [RecoveryStatus.Recovered] = "已收回",
        [RecoveryStatus.Cancelled] = "已撤销",
        [RecoveryDisposition.ReturnedToOwner] = "退还产权单位",
        [RecoveryDisposition.Reassigned] = "调剂使用",
        [RecoveryDisposition.Auctioned] = "公开拍卖",
        [RecoveryDisposition.Scrapped] = "报废",
        [ReminderStatus.Pending] = "待发送",
        [ReminderStatus.Sent] = "已发送",
        [ReminderStatus.Failed] = "发送失败",
        [EvidenceSubject.SealOrder] = "封存记录",
        [EvidenceSubject.SpotCheck] = "抽查记录",
        [EvidenceSubject.RecoveryCase] = "收回案件",
        [DeliveryStatus.Sent] = "已送达",
        [DeliveryStatus.Failed] = "发送失败",
        [RegionLevel.Province] = "省",
        [RegionLevel.City] = "市",
        [RegionLevel.County] = "区县",
        [Warning.Green] = "绿色（正常）",
        [Warning.Yellow] = "黄色（提醒）",
        [Warning.Red] = "红色（预警）",
    }.ToFrozenDictionary();

    /// <summary>The Chinese label of a contract value; a value without one shows as itself (a test holds that none is missing).</summary>
    public static string Of(Enum value) => Table.TryGetValue(value, out var label) ? label : value.ToString();

    /// <summary>The label of a value without boxing it: for the reports' millions of rows.</summary>
    public static string Of<T>(T value) where T : struct, Enum => Cache<T>.Map.TryGetValue(value, out var label) ? label : value.ToString();

    private static class Cache<T> where T : struct, Enum
    {
        public static readonly FrozenDictionary<T, string> Map = Enum.GetValues<T>().ToFrozenDictionary(v => v, v => Of((Enum)v));
    }

    /// <summary>是 or 否.</summary>
    public static string YesNo(bool value) => value ? "是" : "否";

    /// <summary>An early release reads 提前启封, not 已启封.</summary>
    public static string Of(SealOrderStatus status, bool releasedEarly) =>
        status == SealOrderStatus.Released && releasedEarly ? "提前启封" : Of(status);

    /// <summary>Every value of an enum with its label, in declaration order: the options of a select.</summary>
    public static IEnumerable<(T Value, string Label)> All<T>() where T : struct, Enum =>
        Enum.GetValues<T>().Select(v => (v, Of(v)));

    /// <summary>Every enum the contract has, for the completeness test.</summary>
    public static readonly Type[] Enums =
    [
        typeof(Role), typeof(UnitKind), typeof(VehicleCategory), typeof(VehicleSource), typeof(VehicleStatus), typeof(ScheduleStatus),
        typeof(SealOrderStatus), typeof(ExemptionStatus), typeof(SpotCheckFinding), typeof(ViolationType), typeof(ViolationSource),
        typeof(ViolationStatus), typeof(PersonActionKind), typeof(RecoveryReason), typeof(RecoveryStatus), typeof(RecoveryDisposition),
        typeof(ReminderStatus), typeof(UsageKind), typeof(EvidenceSubject), typeof(DeliveryStatus), typeof(RegionLevel), typeof(Warning),
    ];

    public static bool Has(Enum value) => Table.ContainsKey(value);

    /// <summary>What a person typed or chose: one name exactly, or one Chinese label exactly; nothing else.</summary>
    public static bool TryParse(Type type, string? text, out object? value)
    {
        value = null;
        if (text is null) return false;
        if (EnumNames.TryParse(type, text, out value)) return true;
        foreach (var v in Enum.GetValues(type))
            if (Table.TryGetValue((Enum)v, out var label) && label == text) { value = v; return true; }
        return false;
    }

    public static bool TryParse<T>(string? text, out T value) where T : struct, Enum
    {
        var ok = TryParse(typeof(T), text, out var found);
        value = ok ? (T)found! : default;
        return ok;
    }

    /// <summary>The Chinese labels of an enum's values, for a refusal that lists the choices.</summary>
    public static IEnumerable<string> Names(Type type) => Enum.GetValues(type).Cast<Enum>().Select(v => Table.GetValueOrDefault(v, v.ToString()));

    /// <summary>Rates as people write them: 97.4%.</summary>
    public static string Percent(decimal? rate) => rate is { } r ? $"{r * 100:0.0}%" : "—";
}
