using System.Text.RegularExpressions;
using Fleet.Api.Features.Workspace;
using Fleet.Api.Infrastructure;
using Fleet.Tests.Support;

namespace Fleet.Tests;

/// <summary>The pages show the rules' English messages in Chinese: every rule area's messages are in the table, values carried over.</summary>
public partial class MessagesTests
{
    private static readonly string[] Fallbacks = ["填写有误：", "无法办理：", "无权操作：", "未找到：", "记录已被他人修改："];

    /// <summary>A message of each rule area, as the code builds it; <paramref name="carried"/> lists ('|') the values kept in Latin letters.</summary>
    [Theory]
    // Vehicles: fields and register.
    [InlineData("Not a mainland plate: a province character, a letter, then five characters (six for new-energy plates), or a police plate ending in 警.", "")]
    [InlineData("A VIN has 17 characters without I, O or Q, and a valid check digit in position 9.", "I|O|Q")]
    [InlineData("Give litres to at most two decimals (0 for electric).", "")]
    [InlineData("Give yuan to at most two decimals.", "")]
    [InlineData("Cannot be before 1980-01-01.", "")]
    [InlineData("Cannot be in the future.", "")]
    [InlineData("The plate 粤B12345 is already registered.", "粤B12345")]
    [InlineData("The VIN LSVAU2180N2183294 is already registered.", "LSVAU2180N2183294")]
    [InlineData("The plate 粤B12345 or the VIN LSVAU2180N2183294 was just registered.", "粤B12345|LSVAU2180N2183294")]
    [InlineData("A vehicle administrator registers vehicles of their own unit only.", "")]
    [InlineData("A vehicle administrator cannot move a vehicle to another unit.", "")]
    [InlineData("The vehicle is disposed; its record is history and is not edited.", "")]
    [InlineData("The vehicle changed meanwhile; read it again.", "")]
    [InlineData("The vehicle was not found.", "")]
    // The workbook import.
    [InlineData("Send one .xlsx workbook as multipart form data.", ".xlsx")]
    [InlineData("The file is not an .xlsx workbook (an .xls from old Excel: save it as .xlsx first).", ".xlsx|.xls|Excel")]
    [InlineData("The workbook may be at most 10485760 bytes.", "MB")]
    [InlineData("The sheet declares 200,001 rows; at most 100,000 vehicles are imported at once.", "")]
    [InlineData("The workbook unpacks to more than 256 MB.", "MB")]
    [InlineData("The first row must name the columns; missing: vin, unitCode.", "")]
    [InlineData("The sheet is empty: the first row must name the columns.", "")]
    [InlineData("The plate 粤B12345 is also in row 3.", "粤B12345")]
    [InlineData("The VIN LSVAU2180N2183294 is also in row 7.", "LSVAU2180N2183294")]
    [InlineData("A formula: copy the cells and paste values only.", "")]
    [InlineData("Not a number: write it with a decimal point (1.5), without separators.", "")]
    [InlineData("Not a date: give a date cell or text yyyy-MM-dd.", "")]
    [InlineData("Use one of General, LawEnforcement, SpecialPurpose, Emergency.", "General|LawEnforcement|SpecialPurpose|Emergency")]
    // Text that is text.
    [InlineData("Tabs and line breaks are not allowed in this field.", "")]
    [InlineData("Control characters (U+0000) are not allowed.", "U+0000")]
    [InlineData("Bidirectional formatting characters (U+202E) are not allowed.", "U+202E")]
    [InlineData("Give the kind of records. Use one of: Fuel, Toll, Trip.", "ETC")]
    [InlineData("No unit has the code JG-001.", "JG-001")]
    [InlineData("粤B12345 is already registered.", "粤B12345")]
    // Seal-up: holidays, schedules, seals, exemptions.
    [InlineData("The holiday 春节 starting 2027-02-05 exists.", "")]
    [InlineData("The last day cannot be before the first day.", "")]
    [InlineData("A holiday lasts at most 31 days.", "")]
    [InlineData("The seal deadline must come before the release time.", "")]
    [InlineData("A schedule for 春节 already covers some of these units.", "")]
    [InlineData("Leave unitIds out for every unit, or name at least one.", "")]
    [InlineData("The order is Sealed; only a pending or overdue order can be sealed.", "")]
    [InlineData("The order is Pending; only a sealed vehicle can be released.", "")]
    [InlineData("The order is Exempted; an exemption is asked for a vehicle not yet sealed, or sealed and needed early.", "")]
    [InlineData("The order is Breached now; it can no longer be exempted.", "")]
    [InlineData("Seal number FC-2027-0012 is already used under this schedule.", "FC-2027-0012")]
    [InlineData("The seal holds until the release time, 2027-02-12 08:00 local time (releaseAt 2027-02-12T00:00:00Z); a car needed before then is released early through an approved exemption.", "")]
    [InlineData("The seal deadline, 2027-02-04 18:00 local time, has passed: a car not sealed by then is overdue. After the deadline only a sealed car needed early can be exempted.", "")]
    [InlineData("The holiday is over: the schedule has passed its release time.", "")]
    [InlineData("An exemption for this vehicle is already awaiting a decision.", "")]
    [InlineData("The exemption was already Approved.", "")]
    [InlineData("A seal order for this vehicle under this schedule was not found.", "")]
    [InlineData("The vehicle has a seal order sealed under 春节; release it first: at the release time, 2027-02-12 08:00 local time, or earlier through an approved exemption.", "")]
    [InlineData("The vehicle has a seal order pending under 春节; to dispose of it before the holiday, ask for an exemption first, and dispose of it once approved.", "")]
    [InlineData("The vehicle has a seal order overdue under 春节; seal it, or dispose of it after the release time, 2027-02-12 08:00 local time.", "")]
    [InlineData("The order or its vehicle changed meanwhile, or seal number FC-2027-0012 was just used; read the order again.", "FC-2027-0012")]
    // Spot checks.
    [InlineData("Give vehicleId or plateNumber.", "")]
    [InlineData("A check cannot be in the future.", "")]
    [InlineData("That check was already corrected; correct the check that corrected it.", "")]
    [InlineData("The check was not saved: the check it corrects was corrected at the same moment, or the seal order it concerns changed meanwhile. Record it again.", "")]
    // Violations.
    [InlineData("The vehicle's plate is 粤B12345.", "粤B12345")]
    [InlineData("The vehicle is registered by another unit; leave unitId out or give that unit.", "")]
    [InlineData("The plate is not in the register: give the unit it was found with.", "")]
    [InlineData("The violation was dismissed; no action is taken on it.", "")]
    [InlineData("The violation is already Resolved.", "")]
    // Photo evidence.
    [InlineData("The seal order was not found.", "")]
    [InlineData("The record already has 9 photos, the most it may carry.", "")]
    [InlineData("This photo is already attached to the record.", "")]
    [InlineData("Another photo was attached to the record at the same moment, or this one already was; read the record's photos and try again.", "")]
    [InlineData("The car is not sealed yet: a seal's photos show the sealed car at its parking place.", "")]
    [InlineData("A photo may be at most 10 MB (10485760 bytes).", "MB")]
    [InlineData("The file is not a photo: Fleet keeps JPEG, PNG or HEIC pictures, recognised by their content.", "JPEG|PNG|HEIC")]
    [InlineData("The file starts like a image/jpeg picture but cannot be read as one.", "")]
    [InlineData("The file is empty.", "")]
    // Recovery.
    [InlineData("A campaign named 2027年公车专项清理 exists.", "")]
    [InlineData("A campaign cannot end before it starts.", "")]
    [InlineData("The due date cannot be before the campaign starts.", "")]
    [InlineData("A recovery case for 粤B12345 is already open.", "粤B12345")]
    [InlineData("The vehicle is UnderRecovery; only an active vehicle can be recovered.", "")]
    [InlineData("The case is already Recovered.", "")]
    [InlineData("Cannot be before the case was opened (2027-03-01).", "")]
    [InlineData("The case changed meanwhile; read it again.", "")]
    // Users, passwords, units, roles.
    [InlineData("Give a password.", "")]
    [InlineData("At least 12 characters.", "")]
    [InlineData("At most 256 characters.", "")]
    [InlineData("The password must not be or contain the username.", "")]
    [InlineData("One character or a short pattern repeated is too easy to guess.", "")]
    [InlineData("A plain run of characters (123456789012, abcdefghijkl) is too easy to guess.", "")]
    [InlineData("This is one of the most common passwords; choose another.", "")]
    [InlineData(Fleet.Api.Features.Users.Guessable.KeyboardRun, "qwertyuiop|1qaz2wsx")]
    [InlineData(Fleet.Api.Features.Users.Guessable.KnownName, "")]
    [InlineData(Fleet.Api.Features.Users.Guessable.CommonWords, "")]
    [InlineData("This is not your current password.", "")]
    [InlineData("The username 'zhangsan' is taken.", "zhangsan")]
    [InlineData("A VehicleAdmin is bound to exactly one unit.", "")]
    [InlineData("Only a VehicleAdmin is bound to a unit.", "")]
    [InlineData("An Admin cannot deactivate or demote themselves; ask another Admin.", "")]
    [InlineData("This is the last active Admin: make another Admin first.", "")]
    [InlineData("Use letters, digits, '.', '_' or '-'.", "")]
    [InlineData("Digits, '+', '-' and spaces only.", "")]
    [InlineData("A unit with code 'JG-001' exists.", "JG-001")]
    [InlineData("A unit cannot sit under itself or under one of its own sub-units.", "")]
    [InlineData("No unit has this id.", "")]
    [InlineData("This is for Admin or Inspector; you are signed in as VehicleAdmin.", "")]
    [InlineData("The record changed since it was read; read it again and repeat the change.", "")]
    [InlineData("Wrong username or password.", "")]
    [InlineData("'make' must not be empty.", "")]
    public void A_rule_message_reads_in_Chinese(string message, string carried)
    {
        var chinese = Messages.Chinese(message);

        Assert.Matches(Han(), chinese);
        Assert.DoesNotContain(Fallbacks, f => chinese.StartsWith(f, StringComparison.Ordinal));
        var rest = carried.Split('|', StringSplitOptions.RemoveEmptyEntries).Aggregate(chinese, (text, value) => text.Replace(value, ""));
        Assert.DoesNotMatch(Latin(), rest);
    }

    [Fact]
    public void A_plate_and_a_row_number_are_carried_into_the_Chinese_text()
    {
        Assert.Equal("车牌号 粤B12345 与第 3 行重复。", Messages.Chinese("The plate 粤B12345 is also in row 3."));
        Assert.Contains("粤B12345", Messages.Chinese("A recovery case for 粤B12345 is already open.", RefusalKind.Conflict));
        Assert.Contains("JG-001", Messages.Chinese("No unit has the code JG-001."));
        Assert.Contains("2027-02-12 08:00", Messages.Chinese(
            "The seal holds until the release time, 2027-02-12 08:00 local time (releaseAt 2027-02-12T00:00:00Z); a car needed before then is released early through an approved exemption."));
    }

    [Fact]
    public void Contract_values_in_a_message_read_as_their_labels()
    {
        Assert.Contains("已封存", Messages.Chinese("The order is Sealed; only a pending or overdue order can be sealed.", RefusalKind.Conflict));
        Assert.Equal("此项仅限系统管理员或监督检查人员办理，您当前的角色是单位车辆管理员。",
            Messages.Chinese("This is for Admin or Inspector; you are signed in as VehicleAdmin.", RefusalKind.Forbidden));
        // The workbook takes the English names: they stay, with their labels beside them.
        Assert.Contains("General（一般公务用车）", Messages.Chinese("Use one of General, LawEnforcement, SpecialPurpose, Emergency."));
        Assert.Contains("车架号、单位代码", Messages.Chinese("The first row must name the columns; missing: vin, unitCode."));
        Assert.Equal("文件过大：工作簿不能超过 10 MB。", Messages.Chinese("The workbook may be at most 10485760 bytes."));
    }

    [Fact]
    public void A_refusal_is_translated_by_its_message()
    {
        Assert.Equal("该车已处置。", Messages.Chinese(new Refusal(RefusalKind.Conflict, "The vehicle is already disposed.")));
        Assert.Equal("未找到该车辆（或不在您的权限范围内）。", Messages.Chinese(Refusal.NotFound("The vehicle")));
        Assert.Equal("未找到该记录（或不在您的权限范围内）。", Messages.Chinese(Refusal.NotFound("Something new")));
    }

    [Fact]
    public void Chinese_text_is_shown_as_it_is_and_an_unknown_message_by_its_kind()
    {
        Assert.Equal("'车牌号' 不能为空。", Messages.Chinese("'车牌号' 不能为空。"));
        Assert.Equal("无法办理：Something nobody has translated yet.", Messages.Chinese("Something nobody has translated yet.", RefusalKind.Conflict));
    }

    /// <summary>
    /// Every fixed message the rules, validators and import write in the source is in the table (messages with values are
    /// covered by the theory above): a new message without its Chinese fails here.
    /// </summary>
    [Fact]
    public void Every_fixed_message_in_the_source_is_translated()
    {
        var root = Path.Combine(Repository.Root, "src", "Fleet.Api");
        var found = Directory.EnumerateFiles(Path.Combine(root, "Features"), "*.cs", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Path.Combine(root, "Infrastructure"), "*.cs"))
            .SelectMany(f => FixedMessage().Matches(File.ReadAllText(f)).Select(m => m.Groups["text"].Value))
            .Distinct().ToList();
        Assert.True(found.Count >= 60, $"only {found.Count} messages found: the pattern no longer reads the source");
        var untranslated = found.Where(m => Fallbacks.Any(f => Messages.Chinese(m).StartsWith(f, StringComparison.Ordinal))).ToList();
        Assert.True(untranslated.Count == 0, "Not in the table:\n" + string.Join("\n", untranslated));
    }

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex Han();

    [GeneratedRegex("[A-Za-z]")]
    private static partial Regex Latin();

    // A plain (not interpolated) literal where the code writes a message for people: a validator's, a refusal's, a
    // field problem's, an import row's, a refused workbook's, a lost race's, a password rule's.
    [GeneratedRegex("""(?:WithMessage\(|Refusal\.(?:Conflict|Forbidden)\(|(?:Refusal\.Invalid|Problems\.Field)\([^,()]+, |new\((?:row|r), [^,()]+, |WorkbookRefused\(|SaveAsync\(|return )(?<!\$)"(?<text>[A-Z][^"{}]*\.)"[,;)]""")]
    private static partial Regex FixedMessage();
}
