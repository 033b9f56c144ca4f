using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Fleet.Api.Features.Workspace;
using Fleet.Api.Infrastructure;
using Fleet.Data.Entities;
using Fleet.Tests.Support;

namespace Fleet.Tests;

/// <summary>
/// Refusals by code (docs/decisions/013-refusal-codes.md): every code has its English and its Chinese with the same
/// placeholders, every code is used and every code used has texts, problem details carry the code, and the pages'
/// Chinese renders its arguments as people read them.
/// </summary>
public sealed partial class RefusalCodeTests
{
    private static readonly string Resources = Path.Combine(Repository.Root, "src", "Fleet.Api", "Resources");

    private static Dictionary<string, string> Entries(string file) =>
        XDocument.Load(Path.Combine(Resources, file)).Root!.Elements("data")
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string)d.Element("value")!);

    private static readonly Dictionary<string, string> English = Entries("Refusals.resx");
    private static readonly Dictionary<string, string> Chinese = Entries("Refusals.zh-Hans.resx");

    [Fact]
    public void Every_code_has_an_English_and_a_Chinese_text_with_the_same_placeholders()
    {
        Assert.True(English.Count >= 200, $"only {English.Count} codes: the resx is not read");
        Assert.Equal(English.Keys.Order(), Chinese.Keys.Order());
        foreach (var (code, english) in English)
        {
            Assert.Matches(CodeShape(), code);
            var chinese = Chinese[code];
            Assert.False(string.IsNullOrWhiteSpace(english), $"{code}: no English");
            Assert.False(string.IsNullOrWhiteSpace(chinese), $"{code}: no Chinese");
            Assert.Matches(Han(), chinese);
            Assert.True(Texts.Placeholders(english).Order().SequenceEqual(Texts.Placeholders(chinese).Order()),
                $"{code}: placeholders differ between '{english}' and '{chinese}'");
            // The embedded resources are what the code reads: the satellite assembly carries the Chinese.
            Assert.Equal(english, Texts.Template(code, Texts.EnglishCulture));
            Assert.Equal(chinese, Texts.Template(code, CultureInfo.GetCultureInfo("zh-CN")));
        }
    }

    [Fact]
    public void Every_code_is_used_in_the_source_and_every_code_used_has_its_texts()
    {
        var source = Directory.EnumerateFiles(Path.Combine(Repository.Root, "src", "Fleet.Api"), "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".cshtml", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText).ToList();
        var areas = English.Keys.Select(k => k[..k.IndexOf('.')]).ToHashSet();
        var used = source.SelectMany(text => QuotedCode().Matches(text).Select(m => m.Groups["code"].Value))
            .Where(code => areas.Contains(code[..code.IndexOf('.')])).ToHashSet();

        var unused = English.Keys.Where(code => !used.Contains(code)).Order().ToList();
        Assert.True(unused.Count == 0, "Codes in the resx no source names:\n" + string.Join("\n", unused));
        var missing = used.Where(code => !English.ContainsKey(code)).Order().ToList();
        Assert.True(missing.Count == 0, "Codes the source names without texts:\n" + string.Join("\n", missing));
        Assert.All(ValidationTexts.BuiltInCodes.Values, code => Assert.Contains(code, English.Keys));
    }

    /// <summary>FluentValidation's own checks keep the English clients read today: the resx says what its English language says.</summary>
    [Fact]
    public void The_texts_of_FluentValidations_own_checks_are_its_English_messages()
    {
        var language = new FluentValidation.Resources.LanguageManager();
        foreach (var (validator, code) in ValidationTexts.BuiltInCodes)
        {
            // NotNull says what NotEmpty says; Fleet's texts say it once, as Field.Required.
            Assert.Equal(language.GetString(validator, CultureInfo.GetCultureInfo("en")), English[code]);
        }
    }

    [Fact]
    public void The_Chinese_of_a_refusal_shows_its_arguments_as_people_read_them()
    {
        Assert.Equal("车牌号 粤B12345 已登记，不能重复登记。", Api.Features.Workspace.Chinese.Of(Refusal.Conflict("Vehicles.PlateTaken", ("plate", "粤B12345"))));
        Assert.Equal("The plate 粤B12345 is already registered.", Refusal.Conflict("Vehicles.PlateTaken", ("plate", "粤B12345")).Message);
        // A contract enum by its label; roles joined by 或.
        Assert.Contains("已封存", Api.Features.Workspace.Chinese.Of(Refusal.Conflict("SealUp.NotSealable", ("status", SealOrderStatus.Sealed))));
        var caller = new Caller(Guid.NewGuid(), "va", Role.VehicleAdmin, Guid.NewGuid());
        var forbidden = caller.Unless(Role.Admin, Role.Inspector)!;
        Assert.Equal("This is for Admin or Inspector; you are signed in as VehicleAdmin.", forbidden.Message);
        Assert.Equal("此项仅限系统管理员或监督检查人员办理，您当前的角色是单位车辆管理员。", Api.Features.Workspace.Chinese.Of(forbidden));
        // A size in MB; columns by their Chinese header names; the names a column takes, by their labels.
        Assert.Equal("文件过大：工作簿不能超过 10 MB。", Api.Features.Workspace.Chinese.Of(new CodedText("Import.WorkbookTooLarge", ("bytes", new Bytes(10485760)))));
        Assert.Equal("The workbook may be at most 10485760 bytes.", new CodedText("Import.WorkbookTooLarge", ("bytes", new Bytes(10485760))).English);
        Assert.Contains("车架号、单位代码", Api.Features.Workspace.Chinese.Of(new CodedText("Upload.MissingColumns", ("columns", new FieldList(["vin", "unitCode"])))));
        var choices = new CodedText("Import.UseOneOf", ("choices", new NamesOf(typeof(VehicleCategory))));
        Assert.StartsWith("Use one of General, ", choices.English);
        // In Chinese the choices are their labels only, as a person types or picks them (the import takes the labels).
        Assert.Contains("一般公务用车", Api.Features.Workspace.Chinese.Of(choices));
        Assert.DoesNotContain("General", Api.Features.Workspace.Chinese.Of(choices));
        // A header that names no column is named, so the person finds the typo.
        var header = Api.Features.Vehicles.ImportVehicles.MissingColumns(["vin"], ["车架号码", "单位代码"]);
        Assert.Equal("第一行应为列名，缺少：车架号；无法识别的列名：“车架号码”、“单位代码”（请按模板填写列名）。", Api.Features.Workspace.Chinese.Of(header));
        Assert.Equal("The first row must name the columns; missing: vin; not recognised: “车架号码”、“单位代码”.", header.English);
    }

    [Fact]
    public void A_close_reason_the_system_wrote_reads_in_Chinese_and_a_typed_one_as_typed()
    {
        var id = Guid.NewGuid();
        var stored = new CodedText("Recoveries.SettledReason", ("id", id), ("plate", "粤B12345")).English;
        Assert.Equal($"Settled by recovery case {id} (粤B12345 recovered).", stored);
        // The record it refers to is named, never shown by its id.
        Assert.Equal("已通过收回办结（粤B12345 已收回，追缴案件）。", Api.Features.Workspace.Chinese.Recorded(stored));
        Assert.Equal("已通过收回办结（粤B12345 已收回，专项清理（第一轮）追缴案件）。",
            Api.Features.Workspace.Chinese.Recorded(stored, g => g == id ? "专项清理（第一轮）追缴案件" : null));
        Assert.StartsWith("已由更正的抽查记录撤销", Api.Features.Workspace.Chinese.Recorded($"Corrected by spot check {id}."));
        Assert.StartsWith("封存时限前申请的豁免已批准", Api.Features.Workspace.Chinese.Recorded($"Exemption {id}, asked before the seal deadline, was approved."));
        Assert.Equal("Car returned to the pool", Api.Features.Workspace.Chinese.Recorded("Car returned to the pool"));
        Assert.Equal("已整改", Api.Features.Workspace.Chinese.Recorded("已整改"));
    }

    [Fact]
    public async Task Problem_details_carry_the_code_beside_the_detail()
    {
        await using var f = await FleetFixture.StartAsync();
        var admin = f.As(As.Admin);
        var car = Make.Vehicle(f.UnitA);
        var id = Make.Id(await admin.RegisterVehicle(car));

        // 409: a plate registered twice.
        var twice = await Client.Problem(await admin.Post("/api/vehicles", Make.Vehicle(f.UnitA, v => v["plateNumber"] = car["plateNumber"])), HttpStatusCode.Conflict);
        Assert.Equal("Vehicles.PlateTaken", (string)twice["code"]!);
        Assert.Equal($"The plate {car["plateNumber"]} is already registered.", (string)twice["detail"]!);
        // 404.
        var missing = await Client.Problem(await admin.Get($"/api/vehicles/{Guid.NewGuid()}"), HttpStatusCode.NotFound);
        Assert.Equal("Vehicles.NotFound", (string)missing["code"]!);
        Assert.Equal("The vehicle was not found.", (string)missing["detail"]!);
        // 428 and 412: a change without the version read, and with a stale one.
        var change = Make.Vehicle(f.UnitA, v => { v["plateNumber"] = car["plateNumber"]; v["vin"] = car["vin"]; });
        Assert.Equal("Common.VersionRequired", (string)(await Client.Problem(await admin.Put($"/api/vehicles/{id}", change, ifMatch: null), (HttpStatusCode)428))["code"]!);
        var stale = await Client.Problem(await admin.Put($"/api/vehicles/{id}", change, ifMatch: "\"999\""), HttpStatusCode.PreconditionFailed);
        Assert.Equal("Common.Stale", (string)stale["code"]!);
        // 403: a unit's vehicle administrator registering for another unit.
        var denied = await Client.Problem(await f.As(As.VehicleAdmin).Post("/api/vehicles", Make.Vehicle(f.UnitB)), HttpStatusCode.Forbidden);
        Assert.Equal("Vehicles.OwnUnitOnly", (string)denied["code"]!);
    }

    [Fact]
    public async Task A_validation_problem_carries_the_first_failures_code_and_each_fields_codes()
    {
        await using var f = await FleetFixture.StartAsync();
        var admin = f.As(As.Admin);
        var bad = Make.Vehicle(f.UnitA, v => { v["vin"] = "TOO-SHORT"; v["make"] = ""; v["purchasePrice"] = 1.234m; });

        var problem = await Client.Problem(await admin.Post("/api/vehicles", bad), HttpStatusCode.BadRequest, "vin");
        var codes = problem["codes"]!.AsObject();
        var errors = problem["errors"]!.AsObject();
        // codes is parallel to errors: the same fields, as many codes as texts.
        Assert.Equal(errors.Select(e => e.Key).Order(), codes.Select(c => c.Key).Order());
        foreach (var (field, texts) in errors) Assert.Equal(texts!.AsArray().Count, codes[field]!.AsArray().Count);
        Assert.Contains("Vehicles.VinFormat", codes["vin"]!.AsArray().Select(c => (string)c!));
        Assert.Contains("A VIN has 17 characters without I, O or Q, and a valid check digit in position 9.", errors["vin"]!.AsArray().Select(c => (string)c!));
        Assert.Equal(["Field.Required"], codes["make"]!.AsArray().Select(c => (string)c!));
        Assert.Equal(["'make' must not be empty."], errors["make"]!.AsArray().Select(c => (string)c!));
        Assert.Equal(["Vehicles.Price"], codes["purchasePrice"]!.AsArray().Select(c => (string)c!));
        var first = (string)problem["code"]!;
        Assert.Contains(first, codes.SelectMany(c => c.Value!.AsArray().Select(x => (string)x!)));
    }

    [Fact]
    public async Task The_frameworks_own_400s_carry_codes_too()
    {
        await using var f = await FleetFixture.StartAsync();
        var admin = f.As(As.Admin);

        var malformed = await Client.Problem(await admin.PostRaw("/api/vehicles", "nonsense"), HttpStatusCode.BadRequest);
        Assert.Equal("Request.Malformed", (string)malformed["code"]!);
        Assert.Equal("Request.Malformed", (string)malformed["codes"]!["body"]![0]!);
        var unknown = await Client.Problem(await admin.Get("/api/vehicles?status=Sold"), HttpStatusCode.BadRequest, "status");
        Assert.Equal("Request.UnknownValue", (string)unknown["code"]!);
        Assert.StartsWith("'Sold' is not a valid value. Use one of: ", (string)unknown["errors"]!["status"]![0]!);
        var enumBody = await Client.Problem(await admin.Post("/api/vehicles", Make.Vehicle(f.UnitA, v => v["category"] = "1")), HttpStatusCode.BadRequest, "category");
        Assert.Equal("Request.UseOneOf", (string)enumBody["code"]!);
        var paging = await Client.Problem(await admin.Get("/api/vehicles?page=0"), HttpStatusCode.BadRequest, "page");
        Assert.Equal("Request.PageStart", (string)paging["code"]!);
        Assert.Equal("page starts at 1.", (string)paging["errors"]!["page"]![0]!);
    }

    [Fact]
    public async Task The_frameworks_bare_statuses_carry_codes_too()
    {
        await using var f = await FleetFixture.StartAsync();

        var anonymous = await Client.Problem(await f.As(As.Anonymous).Get("/api/vehicles"), HttpStatusCode.Unauthorized);
        Assert.Equal("Auth.SignInRequired", (string)anonymous["code"]!);
        var role = await Client.Problem(await f.As(As.Auditor).Post("/api/units", new { code = "X-1", name = "x", vehicleQuota = 1 }), HttpStatusCode.Forbidden);
        Assert.Equal("Common.Forbidden", (string)role["code"]!);
        var route = await Client.Problem(await f.As(As.Admin).Get("/api/no-such-thing"), HttpStatusCode.NotFound);
        Assert.Equal("Common.NotFound", (string)route["code"]!);
        var wrong = await Client.Problem(await f.As(As.Anonymous).Post("/api/auth/token", new { username = "admin", password = "not-the-password" }), HttpStatusCode.Unauthorized);
        Assert.Equal("Auth.WrongPassword", (string)wrong["code"]!);
    }

    [GeneratedRegex(@"^[A-Z][A-Za-z]+\.[A-Z][A-Za-z]+$")]
    private static partial Regex CodeShape();

    [GeneratedRegex(@"""(?<code>[A-Z][A-Za-z]+\.[A-Z][A-Za-z]+)""")]
    private static partial Regex QuotedCode();

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex Han();
}
