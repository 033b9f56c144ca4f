using System.Globalization;
using FluentValidation;

namespace Fleet.Api.Features.Workspace;

/// <summary>
/// The web workspace: Razor Pages in Chinese, served by this host at /, signed in with a session cookie
/// (docs/decisions/007-web-workspace.md). Each area keeps its pages in its own Pages folder.
/// </summary>
public static class WorkspaceModule
{
    public static readonly CultureInfo Chinese = CultureInfo.GetCultureInfo("zh-CN");

    public static IServiceCollection AddWorkspace(this IServiceCollection services)
    {
        services.AddRazorPages(o => o.RootDirectory = "/Features").AddMvcOptions(o =>
        {
            // What a form field that cannot be read says, in Chinese.
            var m = o.ModelBindingMessageProvider;
            m.SetAttemptedValueIsInvalidAccessor((value, _) => $"“{value}”不是有效的值。");
            m.SetNonPropertyAttemptedValueIsInvalidAccessor(value => $"“{value}”不是有效的值。");
            m.SetValueIsInvalidAccessor(value => $"“{value}”不是有效的值。");
            m.SetUnknownValueIsInvalidAccessor(_ => "填写的值无效。");
            m.SetNonPropertyUnknownValueIsInvalidAccessor(() => "填写的值无效。");
            m.SetValueMustBeANumberAccessor(_ => "请填写数字。");
            m.SetNonPropertyValueMustBeANumberAccessor(() => "请填写数字。");
            m.SetValueMustNotBeNullAccessor(_ => "请填写此项。");
            m.SetMissingBindRequiredValueAccessor(_ => "请填写此项。");
            m.SetMissingKeyOrValueAccessor(() => "请填写此项。");
            m.SetMissingRequestBodyRequiredValueAccessor(() => "请求内容为空。");
            o.SuppressImplicitRequiredAttributeForNonNullableReferenceTypes = true;
            o.ModelBinderProviders.Insert(0, new EnumBinderProvider());
        });
        // Chinese text is written as text, not as &#x...; entities.
        services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
            o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "fleet_antiforgery";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.FormFieldName = IdempotentWrites.AntiforgeryField;
        });
        // Validators speak Chinese to the pages (their culture) and name fields by their Chinese labels; the API
        // keeps English messages and field names.
        ValidatorOptions.Global.DisplayNameResolver = (_, member, _) =>
            member is not null && CultureInfo.CurrentUICulture.Name == Chinese.Name ? Fields.Label(member.Name) : null;
        return services;
    }

    /// <summary>Pages are read in Chinese; the API's answers stay in the contract's English.</summary>
    public static void UseWorkspace(this WebApplication app)
    {
        // Pages and their assets only: the API's requests (the hot paths) pass by with one test of the path.
        app.UseWhen(http => IsPage(http.Request.Path), branch =>
        {
            // A page that is not there (or a record outside the caller's scope) answers with a Chinese page, not JSON.
            branch.UseStatusCodePagesWithReExecute("/error/{0}");
            branch.UseStaticFiles(new StaticFileOptions
            {
                // The service worker is looked at on every visit, so that a new release's reaches the phones.
                OnPrepareResponse = c => c.Context.Response.Headers.CacheControl = c.File.Name == "sw.js" ? "no-cache" : "public, max-age=3600",
            });
            branch.Use((http, next) =>
            {
                CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = Chinese;
                // Nothing a page uses comes from elsewhere: no CDN, no inline script.
                http.Response.Headers.ContentSecurityPolicy =
                    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'";
                http.Response.Headers["Referrer-Policy"] = "same-origin";
                return next(http);
            });
        });
    }

    private static bool IsPage(PathString path) =>
        !path.StartsWithSegments("/api") && !path.StartsWithSegments("/hangfire") && !path.StartsWithSegments("/openapi")
        && !path.StartsWithSegments("/scalar") && !path.StartsWithSegments("/health");

    public static void MapWorkspace(this IEndpointRouteBuilder app) => app.MapRazorPages();
}

/// <summary>The Chinese names of the fields people fill in, for labels and for validation messages.</summary>
public static class Fields
{
    private static readonly Dictionary<string, string> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["plateNumber"] = "车牌号",
        ["vin"] = "车架号",
        ["fuelCardNumber"] = "油卡号",
        ["cardNumber"] = "卡号",
        // The usage files' columns.
        ["time"] = "交易时间",
        ["station"] = "加油站",
        ["litres"] = "升数",
        ["amount"] = "金额",
        ["entryTime"] = "入口时间",
        ["entryStation"] = "入口站",
        ["exitTime"] = "出口时间",
        ["exitStation"] = "出口站",
        ["fee"] = "通行费",
        ["startTime"] = "开始时间",
        ["startPlace"] = "起点",
        ["endTime"] = "结束时间",
        ["endPlace"] = "终点",
        ["distanceKm"] = "里程",
        ["make"] = "品牌",
        ["model"] = "型号",
        ["category"] = "类别",
        ["engineDisplacement"] = "排量（升）",
        ["purchasePrice"] = "购置价格（元）",
        ["acquiredOn"] = "购置日期",
        ["source"] = "来源",
        ["unitId"] = "单位",
        ["unitCode"] = "单位代码",
        ["sealNumber"] = "封条号",
        ["parkingPlace"] = "停放地点",
        ["reason"] = "理由",
        ["finding"] = "检查结果",
        ["location"] = "地点",
        ["notes"] = "备注",
        ["checkedAt"] = "检查时间",
        ["username"] = "用户名",
        ["password"] = "密码",
        ["displayName"] = "姓名",
        ["phone"] = "联系电话",
        ["role"] = "角色",
        ["name"] = "名称",
        ["code"] = "代码",
        ["quota"] = "编制数",
        ["kind"] = "类型",
        ["parentId"] = "上级单位",
        ["firstDay"] = "第一天",
        ["lastDay"] = "最后一天",
        ["sealDeadline"] = "封存时限",
        ["releaseAt"] = "启封时间",
        ["holidayId"] = "节假日",
        ["startsOn"] = "开始日期",
        ["endsOn"] = "结束日期",
        ["recoveredOn"] = "收回日期",
        ["disposition"] = "处置方式",
        ["newPassword"] = "新密码",
        ["currentPassword"] = "当前密码",
        ["note"] = "意见",
        ["description"] = "说明",
        ["person"] = "责任人",
        ["personName"] = "责任人",
        ["takenOn"] = "处理日期",
        ["campaignId"] = "专项清理",
        ["openedOn"] = "认定日期",
        ["vehicleId"] = "车辆",
        ["type"] = "违规类型",
        ["active"] = "启用",
        ["file"] = "文件",
        ["correctsId"] = "更正的抽查",
        ["position"] = "职务",
        ["action"] = "处理方式",
        ["dueOn"] = "收回期限",
        ["vehicleQuota"] = "编制数",
        ["version"] = "版本",
        ["lastSignInAt"] = "最近登录",
        ["closedAt"] = "办结时间",
        ["closedBy"] = "办结人",
        ["closeReason"] = "办结理由",
        ["cancelReason"] = "撤销理由",
        ["cancelledAt"] = "撤销时间",
        ["openedAt"] = "认定时间",
        ["openedBy"] = "认定人",
        ["status"] = "状态",
        ["pastDue"] = "逾期",
        ["sealedAt"] = "封存时间",
        ["sealedBy"] = "封存人",
        ["releasedAt"] = "启封时间",
        ["releasedEarly"] = "提前启封",
        ["requestedAt"] = "申请时间",
        ["requestedBy"] = "申请人",
        ["decidedAt"] = "审批时间",
        ["decidedBy"] = "审批人",
        ["decisionNote"] = "审批意见",
        ["disabled"] = "停用",
        ["overStandard"] = "超标准",
        ["registeredAt"] = "登记时间",
        ["disposedAt"] = "处置时间",
        ["disposalReason"] = "处置原因",
        ["detectedAt"] = "发现时间",
        ["recordedBy"] = "记录人",
        ["passwordHash"] = "密码",
        ["securityStamp"] = "安全标记",
        ["createdAt"] = "创建时间",
        ["late"] = "逾期封存",
        ["overdueAt"] = "逾期时间",
        ["breachedAt"] = "破坏时间",
        ["breachedBy"] = "破坏封存的抽查",
        ["dedupKey"] = "去重键",
        ["sourceId"] = "来源记录",
        ["id"] = "编号",
        ["checkedBy"] = "检查人",
        ["violationId"] = "违规记录",
        ["lastLoginAt"] = "最近登录",
        // What the audit trail records besides (docs: the audit page names every field in Chinese).
        ["recordedAt"] = "记录时间",
        ["regionId"] = "行政区划",
        ["regionCode"] = "区划代码",
        ["level"] = "层级",
        ["scheduleId"] = "封存安排",
        ["userId"] = "用户",
        ["caseId"] = "追缴",
        ["publishedAt"] = "发布时间",
        ["publishedBy"] = "发布人",
        ["allUnits"] = "全部单位",
        ["exemptCategories"] = "免于封存的类别",
        ["report"] = "报表",
        ["filters"] = "筛选条件",
        ["fileName"] = "文件名",
        ["from"] = "开始日期",
        ["to"] = "结束日期",
        ["month"] = "月份",
    };

    public static string Label(string field) => Names.TryGetValue(field, out var label) ? label : field;
}
