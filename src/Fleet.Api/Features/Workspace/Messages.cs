using System.Globalization;
using System.Text.RegularExpressions;
using Fleet.Api.Infrastructure;

namespace Fleet.Api.Features.Workspace;

/// <summary>
/// The rules answer in the contract's English; people read Chinese. Known messages are translated here (patterns
/// for the ones that carry values); anything not yet in the table is shown by its kind in Chinese, with the English
/// detail after it, so nothing is ever hidden.
/// </summary>
/// <remarks>
/// A replacement names the pattern's groups as <c>$1</c> or <c>${name}</c>. A named group is shown as captured, except:
/// a group named after a contract enum (<c>SealOrderStatus</c>, <c>Role</c>, ...) shows its Chinese label; <c>Roles</c>
/// a list of roles joined by " or "; <c>Choices</c> a list of enum names (kept, as the workbook takes them, with their
/// labels); <c>Columns</c> a list of import columns by their Chinese header names; <c>Field</c> a field by its label;
/// <c>Bytes</c> a size in bytes, shown in MB. Entries go from specific to general: the first that matches wins.
/// </remarks>
public static partial class Messages
{
    private const string Plate = "车牌号格式不对：应为省份简称加字母再加五位（新能源六位），警车以“警”结尾。";

    private static readonly (Regex Pattern, string Chinese)[] Known =
    [
        // Changed by someone else meanwhile (412, and the 409s of a lost race).
        (new(@"^The record changed since it was read"), "这条记录已被他人修改：请重新打开，确认最新内容后再改。"),
        (new(@"^The vehicle changed meanwhile"), "这辆车已被他人修改：请重新打开，确认最新内容后再改。"),
        (new(@"^The case changed meanwhile"), "该收回案件已被他人修改：请重新打开，确认最新内容后再办理。"),
        (new(@"^The violation changed meanwhile"), "该违规记录已被他人修改：请重新打开，确认最新内容后再办理。"),
        (new(@"^The user changed meanwhile; try again\.$"), "该用户刚被他人修改，请重试。"),
        (new(@"^The user changed meanwhile"), "该用户已被他人修改：请重新打开，确认最新内容后再办理。"),
        (new(@"^The order or its vehicle changed meanwhile, or seal number (?<seal>.+) was just used; read the order again\.$"),
            "封存记录或这辆车刚被他人修改（例如刚被处置），或封条号 ${seal} 刚被使用：请重新打开后再办理。"),
        (new(@"^The order changed meanwhile"), "封存记录已被他人修改：请重新打开，确认最新内容后再办理。"),
        (new(@"^The exemption or its order changed meanwhile"), "豁免申请或封存记录已被他人修改：请重新打开，确认最新内容后再办理。"),
        (new(@"^The check was not saved: the check it corrects was corrected at the same moment"),
            "抽查记录未保存：要更正的记录刚被他人更正，或相关封存记录刚有变动。请重新录入。"),
        (new(@"^The check was not saved: record it again\.$"), "抽查记录未保存，请重新录入。"),
        (new(@"^Some of these records were imported at the same moment by another import"), "部分记录刚被另一次导入同时导入，请重新导入该文件。"),
        (new(@"^Required\.$"), "必填。"),
        (new(@"^Not a time: write yyyy-MM-dd HH:mm"), "不是时间：请写成 yyyy-MM-dd HH:mm（北京时间），或使用日期时间单元格。"),
        (new(@"^The time is out of range \(from 2000 until now\)\.$"), "时间超出范围（应在 2000 年至今之间）。"),
        (new(@"^Ends before it starts\.$"), "结束时间早于开始时间。"),
        (new(@"^Lasts more than 48 hours"), "时长超过 48 小时：请拆分记录或核对时间。"),
        (new(@"^Row (?<row>\d+) opens a quoted field that never closes\.$"), "第 ${row} 行有一个引号没有闭合。"),
        (new(@"^Row (?<row>\d+) has a field longer than 10,000 characters\.$"), "第 ${row} 行有超过 10000 个字符的单元格。"),
        (new(@"^This local time does not exist: the clocks skipped it\.$"), "该本地时间不存在（夏令时拨快时跳过）。"),
        (new(@"^The file is neither an \.xlsx workbook nor CSV text\.$"), "文件既不是 .xlsx 工作簿，也不是 CSV 文本。"),
        (new(@"^Give the kind of records\. Use one of: Fuel, Toll, Trip\.$"), "请指定记录类别：加油记录、通行记录（ETC）或行车记录。"),
        (new(@"^Send one \.xlsx workbook or \.csv file as multipart form data\.$"), "请上传一个 .xlsx 工作簿或 .csv 文件。"),
        (new(@"^Send one file at a time: this upload holds several files\.$"), "一次只能上传一个文件。"),
        (new(@"^The file may be at most (?<Bytes>\d+) bytes\.$"), "文件过大：不能超过 ${Bytes}。"),
        (new(@"^The file has no rows under the header\.$"), "表头下没有记录行。"),
        (new(@"^Row (?<row>\d+) has more than 100 columns\.$"), "第 ${row} 行超过 100 列。"),
        (new(@"^The file has more than (?<n>\d+) rows\.$"), "文件超过 ${n} 行。"),
        (new(@"^The file is empty: the first row must name the columns\.$"), "文件为空：第一行应为列名。"),
        (new(@"^(?<plate>.+) is not in the register\.$"), "${plate} 不在车辆登记中。"),
        (new(@"^The fuel card (?<card>\S+) is not the card of any registered vehicle\.$"), "油卡 ${card} 没有登记在任何车辆上。"),
        (new(@"^The fuel card (?<card>\S+) is the card of (?<holder>\S+), not of (?<plate>\S+)\.$"), "油卡 ${card} 登记在 ${holder} 上，不是 ${plate} 的。"),
        (new(@"^The fuel card (?<card>\S+) is already the card of (?<holder>\S+)\.$"), "油卡 ${card} 已登记在 ${holder} 上。"),
        (new(@"^Give the plate or the fuel card number\.$"), "请填写车牌号或油卡号。"),
        (new(@"^Not a fuel card number: 6 to 32 digits or letters\.$"), "不是油卡号：应为 6 至 32 位数字或字母。"),
        (new(@"^A number cell keeps only 15 digits"), "数字格式的单元格只保留 15 位：请把卡号列设为文本格式后重新输入。"),
        (new(@"^A fuel card number has 6 to 32 digits or letters"), "油卡号应为 6 至 32 位数字或字母（空格和短横线不计）；没有油卡请留空。"),
        (new(@"^At most 200 characters\.$"), "最多 200 个字符。"),
        (new(@"^Not a number: write it with a decimal point \(1\.5\), without separators or a sign\.$"), "不是数字：请用小数点书写（如 1.5），不要分隔符或正负号。"),
        (new(@"^Send If-Match with the ETag of the record as read\.$"), "请重新打开这条记录后再修改。"),

        // Not found, or outside the caller's unit.
        (new(@"^The vehicle was not found\.$"), "未找到该车辆（或不在您的权限范围内）。"),
        (new(@"^The unit was not found\.$"), "未找到该单位（或不在您的权限范围内）。"),
        (new(@"^The user was not found\.$"), "未找到该用户。"),
        (new(@"^The violation was not found\.$"), "未找到该违规记录（或不在您的权限范围内）。"),
        (new(@"^The recovery case was not found\.$"), "未找到该收回案件（或不在您的权限范围内）。"),
        (new(@"^The campaign was not found\.$"), "未找到该专项清理。"),
        (new(@"^The spot check was not found\.$"), "未找到该抽查记录。"),
        (new(@"^The seal order was not found\.$"), "未找到该封存记录（或不在您的权限范围内）。"),
        // Photo evidence.
        (new(@"^The record already has (?<n>\d+) photos, the most it may carry\.$"), "该记录已有 ${n} 张照片，已达上限。"),
        (new(@"^This photo is already attached to the record\.$"), "这张照片已经上传过。"),
        (new(@"^Another photo was attached to the record at the same moment"), "刚有另一张照片同时上传：请刷新页面后重试。"),
        (new(@"^The car is not sealed yet: a seal's photos"), "车辆尚未封存：封存照片应拍摄已封存的车辆及其停放地点，请先登记封存。"),
        (new(@"^A photo may be at most \d+ MB \((?<Bytes>\d+) bytes\)\.$"), "照片不能超过 ${Bytes}。"),
        (new(@"^The file is not a photo"), "该文件不是照片：只接收 JPEG、PNG 或 HEIC 格式的图片（按文件内容识别，而不是文件名）。"),
        (new(@"^The file starts like a .+ picture but cannot be"), "该文件无法作为图片读取，可能已损坏：请重新拍摄或导出后再上传。"),
        (new(@"^The file is empty\.$"), "文件是空的。"),
        (new(@"^Send the photo as multipart form data"), "请以表单文件（multipart）上传照片，并注明所属记录。"),
        (new(@"^Give what the photo is evidence for\. Use one of: SealOrder, SpotCheck, RecoveryCase\.$"), "请注明照片所属记录的类型：封存记录、抽查记录或收回案件。"),
        (new(@"^Tabs and line breaks are not allowed in this field\.$"), "此项不能包含制表符或换行。"),
        (new(@"^Control characters \(U\+(?<code>[0-9A-F]{4})\) are not allowed\.$"), "不能包含控制字符（U+${code}）。"),
        (new(@"^Bidirectional formatting characters \(U\+(?<code>[0-9A-F]{4})\) are not allowed\.$"), "不能包含改变文字方向的格式字符（U+${code}）。"),
        (new(@"^Give the id of the record the photo is evidence for\.$"), "请注明照片所属的记录。"),
        (new(@"^Send one photo at a time"), "每次上传一张照片。"),
        (new(@"^The form could not be read: send the photo"), "无法读取上传的表单：请以表单文件（multipart）上传照片，并注明所属记录。"),
        (new(@"^Another usage import is running on this server"), "另一批用车记录正在导入：请等其完成后再导入此文件。"),
        (new(@"^A cell's text is longer than"), "有单元格的文字超过 32767 个字符。"),
        (new(@"^The workbook's texts are over"), "工作簿中的文字过多或无法读取。"),
        (new(@"^Send the photo as the form's file\.$"), "请选择一张照片。"),
        (new(@"^The exemption was not found\.$"), "未找到该豁免申请（或不在您的权限范围内）。"),
        (new(@"^The seal-up schedule was not found\.$"), "未找到该封存安排。"),
        (new(@"^A seal order for this vehicle under this schedule was not found\.$"), "这次封存安排中没有这辆车（或不在您的权限范围内）。"),
        (new(@"^(.+) was not found\.$"), "未找到该记录（或不在您的权限范围内）。"),
        (new(@"^No unit has this id\.$"), "未找到该单位，请重新选择。"),
        (new(@"^No vehicle has this id\.$"), "未找到该车辆，请重新选择。"),
        (new(@"^No campaign has this id\.$"), "未找到该专项清理，请重新选择。"),
        (new(@"^No holiday has this id\.$"), "未找到该节假日，请重新选择。"),
        (new(@"^No seal-up schedule has this id\.$"), "未找到该封存安排，请重新选择。"),
        (new(@"^No spot check has this id\.$"), "未找到要更正的抽查记录。"),
        (new(@"^Name the seal-up schedule\.$"), "请选择封存安排。"),
        (new(@"^Some of these ids name no unit\.$"), "所选单位中有的不存在，请重新选择。"),

        // Who may do what.
        (new(@"^This is for (?<Roles>.+); you are signed in as (?<Role>\w+)\.$"), "此项仅限${Roles}办理，您当前的角色是${Role}。"),
        (new(@"^A vehicle administrator cannot move a vehicle to another unit"), "单位车辆管理员不能把车辆转到其他单位。"),
        (new(@"^A vehicle administrator registers vehicles of their own unit only\.$"), "单位车辆管理员只能登记本单位的车辆。"),
        (new(@"^Wrong username or password"), "用户名或密码错误。"),
        (new(@"^Too many failed sign-ins; try again later\.$"), "登录失败次数过多，请稍后再试。"),

        // Vehicles: fields and the register.
        (new(@"^Not a mainland plate"), Plate),
        (new(@"^A VIN has 17 characters"), "车架号应为 17 位（不含 I、O、Q），第 9 位校验码要正确。"),
        (new(@"^Give litres to at most two decimals"), "排量以升为单位，最多两位小数（纯电动车填 0）。"),
        (new(@"^Give yuan to at most two decimals\.$"), "购置价格以元为单位，最多两位小数。"),
        (new(@"^Cannot be in the future\.$"), "不能晚于今天。"),
        (new(@"^Cannot be before the case was opened \((?<day>[^)]+)\)\.$"), "不能早于认定日期（${day}）。"),
        (new(@"^Cannot be before (?<day>.+)\.$"), "不能早于 ${day}。"),
        // A car held by a seal order is not disposed of, and a disposed car is not sealed.
        (new(@"^The vehicle was disposed of; a retired car is not sealed\.$"), "该车已处置，不再封存。"),
        (new(@"^The vehicle has a seal order sealed under (?<holiday>.+); release it first: at the release time, (?<at>\d{4}-\d{2}-\d{2} \d{2}:\d{2}) local time, or earlier through an approved exemption\.$"),
            "该车在“${holiday}”封存安排中已封存，须先启封才能处置：到启封时间 ${at} 启封，或申请豁免、批准后提前启封。"),
        (new(@"^The vehicle has a seal order pending under (?<holiday>.+); to dispose of it before the holiday, ask for an exemption first, and dispose of it once approved\.$"),
            "该车在“${holiday}”封存安排中待封存：节前要处置的车辆，请先申请豁免，批准后再处置。"),
        (new(@"^The vehicle has a seal order overdue under (?<holiday>.+); seal it, or dispose of it after the release time, (?<at>\d{4}-\d{2}-\d{2} \d{2}:\d{2}) local time\.$"),
            "该车在“${holiday}”封存安排中已逾期未封存：请先封存，或在启封时间 ${at} 之后再处置。"),
        (new(@"^The vehicle is disposed"), "该车已处置，记录仅供查阅，不能修改。"),
        (new(@"^The vehicle is already disposed"), "该车已处置。"),
        (new(@"^The plate (?<plate>.+) or the VIN (?<vin>.+) was just registered\.$"), "车牌号 ${plate} 或车架号 ${vin} 刚被他人登记，请核对。"),
        (new(@"^The new plate or VIN was just registered\.$"), "新的车牌号或车架号刚被他人登记，请核对。"),
        (new(@"^The plate (?<plate>.+) is already registered\.$"), "车牌号 ${plate} 已登记，不能重复登记。"),
        (new(@"^The VIN (?<vin>.+) is already registered\.$"), "车架号 ${vin} 已登记，不能重复登记。"),

        // The workbook import.
        (new(@"^Send one \.xlsx workbook as multipart form data\.$"), "请选择一个 .xlsx 文件上传。"),
        (new(@"^Send one workbook at a time"), "一次只能上传一个工作簿。"),
        (new(@"^The workbook may be at most (?<Bytes>\d+) bytes\.$"), "文件过大：工作簿不能超过 ${Bytes}。"),
        (new(@"^The file is not an \.xlsx workbook \(an \.xls from old Excel"), "文件不是 .xlsx 工作簿：旧版 Excel 的 .xls 文件请先另存为 .xlsx。"),
        (new(@"^The file is not an \.xlsx workbook\.$"), "文件不是 .xlsx 工作簿。"),
        (new(@"^The workbook has more than (?<n>[\d,]+) parts\.$"), "工作簿内部结构过于复杂（超过 ${n} 个部件），无法读取。"),
        (new(@"^The workbook unpacks to more than (?<n>[\d,]+) MB\.$"), "工作簿解压后超过 ${n} MB，无法读取。"),
        (new(@"^A part of the workbook unpacks to more than its archive says\.$"), "工作簿中有一部分解压后比文件声明的大，文件可能已损坏或被篡改，无法读取。"),
        (new(@"^The workbook holds more than (?<n>[\d,]+) texts\.$"), "工作簿中的文字超过 ${n} 条，无法读取。"),
        (new(@"^The workbook has no sheet\.$"), "工作簿中没有工作表。"),
        (new(@"^The sheet declares (?<rows>[\d,]+) rows; at most (?<max>[\d,]+) vehicles are imported at once\.$"),
            "工作表有 ${rows} 行，一次最多导入 ${max} 辆车，请分批导入。"),
        (new(@"^The sheet declares (?<cells>[\d,]+) cells; at most (?<max>[\d,]+)\.$"), "工作表有 ${cells} 个单元格，最多 ${max} 个，请分批导入。"),
        (new(@"^The sheet has a row (?<row>[\d,]+); at most (?<max>[\d,]+) vehicles are imported at once\.$"),
            "工作表有第 ${row} 行，一次最多导入 ${max} 辆车，请分批导入。"),
        (new(@"^A cell lies outside any sheet\.$"), "有单元格超出了工作表范围，无法读取。"),
        (new(@"^The sheet has more than (?<n>[\d,]+) cells\.$"), "工作表的单元格超过 ${n} 个，请分批导入。"),
        (new(@"^The sheet has no vehicle rows under the header\.$"), "工作表表头下没有车辆数据。"),
        (new(@"^The first row must name the columns; missing: (?<Columns>.+)\.$"), "第一行应为列名，缺少：${Columns}。"),
        (new(@"^The sheet is empty"), "工作表是空的：第一行应为列名。"),
        (new(@"^The plate (?<plate>.+) is also in row (?<row>\d+)\.$"), "车牌号 ${plate} 与第 ${row} 行重复。"),
        (new(@"^The VIN (?<vin>.+) is also in row (?<row>\d+)\.$"), "车架号 ${vin} 与第 ${row} 行重复。"),
        (new(@"^The fuel card (?<card>.+) is also in row (?<row>\d+)\.$"), "油卡号 ${card} 与第 ${row} 行重复。"),
        (new(@"^A formula: copy the cells and paste values only\.$"), "这里是公式：请复制单元格后“选择性粘贴”为数值。"),
        (new(@"^Not a value this column takes\.$"), "这一列不能填这种值。"),
        (new(@"^Not a number: write it with a decimal point"), "不是数字：小数请用小数点（如 1.5），不要加千位分隔符。"),
        (new(@"^The number is out of range\.$"), "数字超出范围。"),
        (new(@"^The date is out of range\.$"), "日期超出范围。"),
        (new(@"^Not a date: give a date cell or text yyyy-MM-dd\.$"), "不是日期：请填日期格式的单元格，或按“年-月-日”填写（如 2024-03-15）。"),
        (new(@"^'(?<value>[^']*)' is not a valid value\. Use one of: (?<Choices>.+)\.$"), "“${value}”不是有效的值，请填写以下之一：${Choices}。"),
        (new(@"^'(?<value>[^']*)' is not a valid value\.$"), "“${value}”不是有效的值。"),
        (new(@"^Use one of:? (?<Choices>.+)\.$"), "请填写以下之一：${Choices}。"),
        (new(@"^No unit has the code (?<code>.+)\.$"), "单位代码 ${code} 不存在。"),
        (new(@"^(?<value>\S+) is already registered\.$"), "${value} 已登记，不能重复导入。"),

        // Seal-up: holidays, schedules, seals, exemptions.
        (new(@"^The last day cannot be before the first day\.$"), "最后一天不能早于第一天。"),
        (new(@"^A holiday lasts at most (?<n>\d+) days\.$"), "节假日最长 ${n} 天。"),
        (new(@"^Give a year between (?<from>\d+) and (?<to>\d+)\.$"), "请填写 ${from} 年至 ${to} 年之间的年份。"),
        (new(@"^Give an instant between (?<from>\d+) and (?<to>\d+)\.$"), "请填写 ${from} 年至 ${to} 年之间的时间。"),
        (new(@"^Leave unitIds out for every unit, or name at least one\.$"), "请至少选择一个单位；适用于全部单位时不必选择。"),
        (new(@"^At most (?<n>[\d,]+) units\.$"), "单位不能超过 ${n} 个。"),
        (new(@"^The holiday (?<name>.+) starting (?<day>\d{4}-\d{2}-\d{2}) exists\.$"), "节假日“${name}”（${day} 起）已存在。"),
        (new(@"^The seal deadline must come before the release time\.$"), "封存时限应早于启封时间。"),
        (new(@"^A schedule for (?<name>.+) already covers some of these units\.$"), "“${name}”已有封存安排，覆盖了所选的部分单位。"),
        (new(@"^The order is (?<SealOrderStatus>\w+); only a pending or overdue order can be sealed\.$"),
            "该车当前为“${SealOrderStatus}”，只有待封存或逾期未封存的车辆才能封存。"),
        (new(@"^The order is (?<SealOrderStatus>\w+); only a sealed vehicle can be released\.$"),
            "该车当前为“${SealOrderStatus}”，只有已封存的车辆才能启封。"),
        (new(@"^The order is (?<SealOrderStatus>\w+); an exemption is asked for a vehicle not yet sealed, or sealed and needed early\.$"),
            "该车当前为“${SealOrderStatus}”，只有尚未封存、或已封存但需提前启用的车辆才能申请豁免。"),
        (new(@"^The order is (?<SealOrderStatus>\w+) now; it can no longer be exempted\.$"), "该车现为“${SealOrderStatus}”，不能再豁免。"),
        (new(@"^The holiday is over: the schedule has passed its release time\.$"), "节假日已结束：已过启封时间，不能再办理。"),
        (new(@"^Seal number (?<seal>.+) is already used under this schedule\.$"), "封条号 ${seal} 在这次封存安排中已使用，请核对封条号。"),
        (new(@"^The seal holds until the release time, (?<at>\d{4}-\d{2}-\d{2} \d{2}:\d{2}) local time"),
            "启封时间为 ${at}，此前不能启封；确需提前用车的，请申请豁免，批准后提前启封。"),
        (new(@"^The seal deadline, (?<at>\d{4}-\d{2}-\d{2} \d{2}:\d{2}) local time, has passed"),
            "封存时限（${at}）已过，未封存的车辆已逾期；时限过后，只有已封存且需提前启用的车辆才能申请豁免。"),
        (new(@"^An exemption for this vehicle is already awaiting a decision\.$"), "这辆车已有豁免申请在等待审批，请勿重复申请。"),
        (new(@"^The exemption was already (?<ExemptionStatus>\w+)\.$"), "该豁免申请已处理（${ExemptionStatus}），不能重复审批。"),
        (new(@"^Exemption .+, asked before the seal deadline, was approved\.$"), "封存时限前申请的豁免已批准。"),

        // Spot checks.
        (new(@"^Give vehicleId or plateNumber\.$"), "请选择车辆或填写车牌号。"),
        (new(@"^A check cannot be in the future\.$"), "检查时间不能晚于现在。"),
        (new(@"^Too far in the past\.$"), "时间过早，请核对。"),
        (new(@"^That check was already corrected"), "这条抽查已被更正过，不能再次更正；如仍有误，请更正后来那条更正记录。"),
        (new(@"^Corrected by spot check .+\.$"), "已由更正的抽查记录撤销。"),

        // Violations.
        (new(@"^The vehicle's plate is (?<plate>.+)\.$"), "车牌号与所选车辆不符：该车车牌号为 ${plate}。"),
        (new(@"^The vehicle is registered by another unit"), "该车登记在其他单位：请不选单位，或选择该车所属的单位。"),
        (new(@"^The plate is not in the register"), "该车牌号未登记：请选择发现该车的单位。"),
        (new(@"^The violation was dismissed; no action is taken on it\.$"), "该违规记录已撤销，不再作出处理。"),
        (new(@"^The violation is already (?<ViolationStatus>\w+)\.$"), "该违规记录已是“${ViolationStatus}”，不能再办理。"),

        // Recovery: campaigns and cases.
        (new(@"^A campaign cannot end before it starts\.$"), "专项清理的结束日期不能早于开始日期。"),
        (new(@"^A campaign named (?<name>.+) exists\.$"), "专项清理“${name}”已存在。"),
        (new(@"^The due date cannot be before the campaign starts\.$"), "收回期限不能早于专项清理的开始日期。"),
        (new(@"^A recovery case for (?<plate>.+) is already open\.$"), "${plate} 已有待收回的案件，请勿重复认定。"),
        (new(@"^The vehicle is (?<VehicleStatus>\w+); only an active vehicle can be recovered\.$"), "该车当前为“${VehicleStatus}”，只有在用车辆才能收回。"),
        (new(@"^The case is already (?<RecoveryStatus>\w+)\.$"), "该收回案件已是“${RecoveryStatus}”，不能再办理。"),
        (new(@"^Settled by recovery case .+ \((?<plate>.+) recovered\)\.$"), "已通过收回案件办结（${plate} 已收回）。"),

        // Users and passwords.
        (new(@"^Give a password\.$"), "请填写密码。"),
        (new(@"^At least (?<n>\d+) characters\.$"), "密码至少 ${n} 位。"),
        (new(@"^At most (?<n>[\d,]+) characters\.$"), "不能超过 ${n} 个字。"),
        (new(@"^The password must not be or contain the username\.$"), "密码不能是用户名，也不能包含用户名。"),
        (new(@"^One character or a short pattern repeated is too easy to guess\.$"), "密码由同一字符或简单片段重复而成，容易被猜到，请换一个。"),
        (new(@"^A plain run of characters .*is too easy to guess\.$"), "密码是连续的数字或字母，容易被猜到，请换一个。"),
        (new(@"^This is one of the most common passwords"), "这是最常见的密码之一，容易被猜到，请换一个。"),
        (new(@"^Mostly a keyboard run "), "密码大部分是键盘上连着的一串键（如 qwertyuiop、1qaz2wsx），容易被猜到，请换一个。"),
        (new(@"^A password built on a name Fleet knows"), "密码不能以本系统、本单位或本账号的名称为基础，这样容易被猜到，请换一个。"),
        (new(@"^A common word \(English or pinyin\) with a run of digits"), "常见的英文单词或拼音加一串数字容易被猜到：请用几个互不相关的词组成密码。"),
        (new(@"^This is not your current password\.$"), "当前密码不正确。"),
        (new(@"^The username '(?<name>.*)' is taken\.$"), "用户名“${name}”已被使用，请换一个。"),
        (new(@"^A VehicleAdmin is bound to exactly one unit\.$"), "单位车辆管理员须指定一个所属单位。"),
        (new(@"^Only a VehicleAdmin is bound to a unit\.$"), "只有单位车辆管理员才指定所属单位，其他角色请不选单位。"),
        (new(@"^An Admin cannot deactivate or demote themselves"), "系统管理员不能停用自己或撤销自己的管理员角色，请由其他系统管理员办理。"),
        (new(@"^This is the last active Admin"), "这是最后一名在用的系统管理员：请先设置另一名系统管理员。"),
        (new(@"^Use letters, digits, '\.', '_' or '-'\.$"), "只能使用字母、数字和“.”“_”“-”。"),
        (new(@"^Digits, '\+', '-' and spaces only\.$"), "只能填写数字、“+”、“-”和空格。"),

        // Units.
        (new(@"^A unit with code '(?<code>.*)' exists\.$"), "单位代码 ${code} 已被使用。"),
        (new(@"^A unit cannot sit under itself or under one of its own sub-units\.$"), "上级单位不能是本单位，也不能是本单位的下级单位。"),

        // Requests, paging and dates (what the plumbing answers).
        (new(@"^A JSON body is required\.$"), "请求内容为空。"),
        (new(@"^The body may be at most (?<Bytes>\d+) bytes\.$"), "提交的内容过大：不能超过 ${Bytes}。"),
        (new(@"^The request body is larger than this endpoint accepts\.$"), "提交的内容过大。"),
        (new(@"^The request could not be read\.$"), "提交的内容无法读取，请检查后重新提交。"),
        (new(@"^The body is not valid JSON\.$"), "提交的内容无法读取，请检查后重新提交。"),
        (new(@"^This field is not part of the request\.$"), "多余的填写项。"),
        (new(@"^The value is not of the expected type or format\.$"), "填写的值格式不对。"),
        (new(@"^A record with the same unique value already exists\.$"), "已有相同的记录，不能重复。"),
        (new(@"^The server could not complete the request"), "系统暂时无法办理，错误已记录，请稍后再试。"),
        (new(@"^Give a date \(yyyy-MM-dd\) or an ISO 8601 instant\.$"), "请填写日期（如 2024-03-15）。"),
        (new(@"^'to' is before 'from'\.$"), "结束日期不能早于开始日期。"),
        (new(@"^page starts at (?<n>\d+)\.$"), "页码从 ${n} 开始。"),
        (new(@"^pageSize must be between (?<from>\d+) and (?<to>\d+)\.$"), "每页条数应在 ${from} 到 ${to} 之间。"),
        (new(@"^page is beyond any list\.$"), "页码超出范围。"),

        // FluentValidation's own English messages, should one reach a page (the pages' culture gives them in Chinese).
        (new(@"^'(?<Field>[^']+)' must not be empty\.$"), "请填写${Field}。"),
        (new(@"^'(?<Field>[^']+)' must not be equal to '.*'\.$"), "请填写${Field}。"),
        (new(@"^The length of '(?<Field>[^']+)' must be (?<max>\d+) characters or fewer\. You entered (?<n>\d+) characters\.$"),
            "${Field}不能超过 ${max} 个字（现为 ${n} 个）。"),
        (new(@"^'(?<Field>[^']+)' must be between (?<from>\S+) and (?<to>\S+)\. You entered (?<value>.+)\.$"),
            "${Field}应在 ${from} 到 ${to} 之间（现为 ${value}）。"),
        (new(@"^The specified condition was not met for '(?<Field>[^']+)'\.$"), "${Field}填写有误。"),
    ];

    public static string Chinese(Refusal refusal) => Chinese(refusal.Message, refusal.Kind);

    /// <summary>
    /// A text the system wrote in English into a record (a close reason such as "Settled by recovery case …") in Chinese;
    /// any other text, as the user typed it. Cheap for text that starts with a Chinese character, as typed text mostly does.
    /// </summary>
    public static string Recorded(string text) =>
        text.Length > 0 && char.IsAsciiLetter(text[0]) && Translated(text) is { } chinese ? chinese : text;

    /// <summary>The Chinese of a message one of the known patterns matches; null when none does.</summary>
    private static string? Translated(string message)
    {
        foreach (var (pattern, chinese) in Known)
        {
            var match = pattern.Match(message);
            if (match.Success) return Fill(match, chinese);
        }
        return null;
    }

    public static string Chinese(string message, RefusalKind kind = RefusalKind.Invalid)
    {
        if (Translated(message) is { } translated) return translated;
        // Already Chinese (a validator run in the pages' culture, a page's own text): shown as it is.
        if (AlreadyChinese(message)) return message;
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

    /// <summary>Chinese text with no English sentence in it (values such as plates and codes may be in Latin letters).</summary>
    private static bool AlreadyChinese(string message) => Han().IsMatch(message) && !EnglishWords().IsMatch(message);

    private static string Fill(Match match, string chinese) => Placeholder().Replace(chinese, p =>
    {
        var name = p.Groups["name"].Success ? p.Groups["name"].Value : p.Groups["number"].Value;
        var group = match.Groups[name];
        return group.Success ? Show(name, group.Value) : "";
    });

    private static string Show(string name, string value) => name switch
    {
        "Field" => Fields.Label(value),
        "Roles" => string.Join("或", value.Split(" or ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(r => Show("Role", r))),
        "Columns" => string.Join("、", value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Column)),
        "Choices" => string.Join("、", value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Choice)),
        "Bytes" => long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes) ? Size(bytes) : value,
        _ => EnumTypes.TryGetValue(name, out var type) && Enum.TryParse(type, value, ignoreCase: false, out var parsed) ? Labels.Of((Enum)parsed) : value,
    };

    /// <summary>An import column as the header may name it in Chinese (each field label is a header the vehicle import reads).</summary>
    private static string Column(string field) => Fields.Label(field);

    /// <summary>An enum name as the workbook takes it, with its label: General（一般公务用车）.</summary>
    private static string Choice(string value)
    {
        foreach (var type in Labels.Enums)
            if (Enum.TryParse(type, value, ignoreCase: false, out var parsed) && Enum.IsDefined(type, parsed!) && Labels.Has((Enum)parsed!))
                return $"{value}（{Labels.Of((Enum)parsed!)}）";
        return value;
    }

    private static string Size(long bytes) => bytes >= 1024 * 1024
        ? $"{(bytes / (1024m * 1024m)).ToString("0.#", CultureInfo.InvariantCulture)} MB"
        : bytes >= 1024 ? $"{(bytes / 1024m).ToString("0.#", CultureInfo.InvariantCulture)} KB" : $"{bytes} 字节";

    private static readonly Dictionary<string, Type> EnumTypes = Labels.Enums.ToDictionary(t => t.Name);

    [GeneratedRegex(@"\$(?:\{(?<name>\w+)\}|(?<number>\d+))")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex Han();

    [GeneratedRegex(@"(?<![A-Za-z])[A-Za-z]{2,}\s+[A-Za-z]{2,}(?![A-Za-z])")]
    private static partial Regex EnglishWords();
}
