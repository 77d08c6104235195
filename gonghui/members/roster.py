"""Member rosters (会员名册): the template, reading .xlsx/.csv uploads, checking every row, and landing a
clean roster whole — or nothing — as a background job. Also the scoped roster export.

Decisions the cadre is told about on the upload page:
- the file is refused before it is read when it is larger than ``MAX_BYTES`` or holds more than ``MAX_ROWS``;
- a CSV may be UTF-8 (with or without BOM) or GBK/GB18030, as Excel on a Chinese Windows saves it;
- formulas are not evaluated: a cell that holds one is an error (paste values instead), so what lands is
  what the cadre saw and nothing can run when the data is exported again;
- merged cells in the header or data rows make the file unreadable (a title row above the headers may be merged);
- an existing person file (same ID number, same name) without a current membership is reused;
  anyone who is a current member anywhere is an error: that is a transfer (会籍接转), not an import.
"""

import csv
import hashlib
import io
import logging
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric

from gonghui.core import audit, files
from gonghui.core.crypto import blind_index, keyring
from gonghui.core.exports import XLSX_TYPE, write_xlsx
from gonghui.core.jobs import register, start_job
from gonghui.core.masking import mask_id_number, mask_mobile
from gonghui.core.scoping import assert_in_scope
from gonghui.members.choices import (
    CURRENT_STATUSES,
    EmploymentForm,
    MembershipEventKind,
    MembershipStatus,
    SkillLevel,
)
from gonghui.members.models import Membership, MembershipEvent, Person, RosterImport, RosterImportStatus
from gonghui.members.services import allocate_member_numbers
from gonghui.members.validators import normalise_id_number
from gonghui.orgs.models import Enterprise, Organization

logger = logging.getLogger(__name__)
MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
HEADER_SEARCH_ROWS = 5  # a title row or two above the headers is common in Chinese rosters
PREVIEW_ERRORS = 500  # rows with errors kept for the preview; the corrected file has them all
CHECK_BATCH = 2000
IMPORT_PERM = "members.import"
CSV_TYPE = "text/csv"
MOBILE = re.compile(r"^1[3-9]\d{9}$")


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool
    aliases: tuple[str, ...] = ()


# The template's headers are Chinese, whatever the UI language: the file goes around offices as it is.
COLUMNS = [
    Column("name", "姓名", True),
    Column("id_number", "身份证号", True, ("身份证号码", "公民身份号码", "身份证")),
    Column("mobile", "手机号", False, ("手机号码", "手机", "联系电话")),
    Column("employment_form", "就业形态", True, ("用工形式", "就业类型")),
    Column("workplace", "工作单位/平台", False, ("工作单位", "所在平台", "单位/平台", "工作单位或平台")),
    Column("occupation", "职业", False, ("职业/工种", "工种")),
    Column("skill_level", "技能等级", False, ("职业技能等级",)),
    Column("joined_on", "入会日期", False, ("入会时间",)),
]
_HEADER_KEYS = {h: c.key for c in COLUMNS for h in (c.header, *c.aliases)}

EMPLOYMENT_LABELS = {
    EmploymentForm.EMPLOYEE: ("职工", "员工", "在职职工", "单位职工"),
    EmploymentForm.TRUCK_DRIVER: ("货车司机",),
    EmploymentForm.RIDE_HAILING_DRIVER: ("网约车司机", "网约车驾驶员"),
    EmploymentForm.COURIER: ("快递员", "快递小哥"),
    EmploymentForm.FOOD_DELIVERY: ("外卖配送员", "外卖骑手", "外卖员", "网约送餐员", "送餐员"),
    EmploymentForm.CARE_WORKER: ("护工护理员", "护工", "护理员"),
    EmploymentForm.DOMESTIC_WORKER: ("家政服务员", "家政"),
    EmploymentForm.MALL_INFORMATION: ("商场信息员",),
    EmploymentForm.REAL_ESTATE_AGENT: ("房产中介员", "房产中介"),
    EmploymentForm.SECURITY_GUARD: ("保安员", "保安"),
    EmploymentForm.OTHER_FLEXIBLE: ("其他灵活就业", "灵活就业"),
}
_EMPLOYMENT = {label: form for form, labels in EMPLOYMENT_LABELS.items() for label in labels}
_EMPLOYMENT.update({form.value: form for form in EmploymentForm})

SKILL_LABELS = {
    SkillLevel.APPRENTICE: ("学徒工",),
    SkillLevel.LEVEL5: ("五级/初级工", "五级", "初级工", "初级"),
    SkillLevel.LEVEL4: ("四级/中级工", "四级", "中级工", "中级"),
    SkillLevel.LEVEL3: ("三级/高级工", "三级", "高级工", "高级"),
    SkillLevel.LEVEL2: ("二级/技师", "二级", "技师"),
    SkillLevel.LEVEL1: ("一级/高级技师", "一级", "高级技师"),
    SkillLevel.SPECIAL: ("特级技师",),
    SkillLevel.CHIEF: ("首席技师",),
}
_SKILL = {label: level for level, labels in SKILL_LABELS.items() for label in labels}
_SKILL.update({level.value: level for level in SkillLevel})


# -- reading ----------------------------------------------------------------------------------------------


class RosterFileError(ValidationError):
    """The file as a whole cannot be read: nothing in it is checked row by row."""


@dataclass
class Sheet:
    """The rows of an upload, as text cells by column key, with their line numbers in the file."""

    kind: str  # "xlsx" or "csv"
    columns: dict[str, int]  # column key -> position
    extra_headers: list[str]
    rows: Iterator[tuple[int, tuple]]
    close: callable = lambda: None


def check_size(size: int) -> None:
    """Refused before a byte is parsed."""
    if size > MAX_BYTES:
        raise RosterFileError(
            _(
                "The file is too large: %(size)s MB; a roster may be at most %(max)s MB. Split it into several files."
            )
            % {"size": round(size / 1048576, 1), "max": MAX_BYTES // 1048576}
        )
    if size == 0:
        raise RosterFileError(_("The file is empty."))


def kind_of(data: bytes, name: str) -> str:
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise RosterFileError(
            _("This is an old Excel file (.xls). Save it as .xlsx (Excel workbook) and upload again.")
        )
    if b"\0" in data[:4096] or not name.lower().endswith((".csv", ".txt")):
        raise RosterFileError(_("Upload the roster as an Excel workbook (.xlsx) or a CSV file (.csv)."))
    return "csv"


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value).strip()


def _header_map(cells) -> tuple[dict[str, int], list[str]]:
    columns, extra = {}, []
    for position, cell in enumerate(cells):
        header = re.sub(r"\s+", "", _text(cell)).rstrip("*")
        if not header:
            continue
        key = _HEADER_KEYS.get(header)
        if key and key not in columns:
            columns[key] = position
        else:
            extra.append(header)
    return columns, extra


def _require_headers(columns: dict[str, int], extra: list[str]) -> None:
    missing = [c.header for c in COLUMNS if c.required and c.key not in columns]
    if missing:
        message = _("The header row lacks these columns: %(missing)s.") % {"missing": "、".join(missing)}
        if extra:
            message += " " + _("Columns not recognised: %(extra)s.") % {"extra": "、".join(extra[:10])}
        message += " " + _("Download the template and keep its headers.")
        raise RosterFileError(message)


def _find_header(rows) -> tuple[int, dict[str, int], list[str]]:
    """The header row is the first of the top rows that names the name and ID columns."""
    best = None
    for line, cells in rows:
        columns, extra = _header_map(cells)
        if "name" in columns or "id_number" in columns:
            return line, columns, extra
        if best is None and any(_text(c) for c in cells):
            best = (line, columns, extra)
        if line >= HEADER_SEARCH_ROWS:
            break
    if best is None:
        raise RosterFileError(_("The file holds no rows."))
    return best


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


def _merged_ranges(archive: zipfile.ZipFile, sheet_path: str) -> list[tuple[str, int, int]]:
    """Merged ranges of the sheet, read from its XML in chunks (read-only mode does not expose them)."""
    found, tail = [], b""
    with archive.open(sheet_path.lstrip("/")) as handle:
        while chunk := handle.read(1 << 20):
            data = tail + chunk
            for match in _MERGE.finditer(data):
                first, last = int(match.group(2)), int(match.group(4) or match.group(2))
                ref = match.group(1).decode() + match.group(2).decode()
                if match.group(3):
                    ref += ":" + match.group(3).decode() + match.group(4).decode()
                found.append((ref, first, last))
            tail = data[-200:]
    return list({r[0]: r for r in found}.values())


def _limited(rows):
    """Stops reading past ``MAX_ROWS`` non-empty rows, however the file declares its size."""
    count = 0
    for line, cells in rows:
        if any(cell is not None and cell != "" for cell in cells):
            count += 1
            if count > MAX_ROWS + HEADER_SEARCH_ROWS:
                raise _too_many_rows()
        yield line, cells


def _birth_date(id_number: str) -> date:
    """From a number already validated (stdnum checked the date)."""
    return date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))


def _read_xlsx(data: bytes) -> Sheet:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise RosterFileError(_("The file could not be read as an Excel workbook. Save it again as .xlsx."))
    if not workbook.worksheets:
        raise RosterFileError(_("The workbook has no sheet."))
    sheet = workbook.worksheets[0]
    numbered = _limited(enumerate(sheet.iter_rows(values_only=True), start=1))
    header_line, columns, extra = _find_header(numbered)
    _require_headers(columns, extra)
    merged = [
        ref
        for ref, _first, last in _merged_ranges(workbook._archive, sheet._worksheet_path)
        if last >= header_line
    ]
    if merged:
        workbook.close()
        raise RosterFileError(
            _("The sheet has merged cells (%(ranges)s). Unmerge them so that every row holds one person.")
            % {"ranges": ", ".join(merged[:10])}
        )
    return Sheet("xlsx", columns, extra, numbered, workbook.close)


def decode_csv(data: bytes) -> str:
    """UTF-8 (with or without BOM) first; else GB18030, the superset of the GBK that Excel writes on Chinese
    Windows. A file that is neither is refused rather than read as mojibake."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise RosterFileError(
        _('The CSV file\'s text encoding is not UTF-8 or GBK. Save it as "CSV UTF-8" and upload again.')
    )


def _read_csv(data: bytes) -> Sheet:
    text = decode_csv(data)
    if text.count("\n") > MAX_ROWS + HEADER_SEARCH_ROWS + 1:
        raise _too_many_rows()
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    numbered = ((reader.line_num, tuple(cells)) for cells in reader)
    try:
        header_line, columns, extra = _find_header(numbered)
    except csv.Error:
        raise RosterFileError(_("The CSV file is malformed (an unclosed quote?)."))
    _require_headers(columns, extra)
    return Sheet("csv", columns, extra, numbered)


def _too_many_rows() -> RosterFileError:
    return RosterFileError(
        _("The roster has more than %(max)s rows. Split it into several files.") % {"max": f"{MAX_ROWS:,}"}
    )


def open_sheet(data: bytes, name: str) -> Sheet:
    check_size(len(data))
    return _read_xlsx(data) if kind_of(data, name) == "xlsx" else _read_csv(data)


# -- checking ---------------------------------------------------------------------------------------------


@dataclass
class CleanRow:
    line: int
    name: str
    id_number: str
    mobile: str
    employment_form: str
    workplace: str
    occupation: str
    skill_level: str
    joined_on: date
    bidx: str
    person_id: int | None = None
    employer_id: int | None = None


@dataclass
class RowError:
    line: int
    cells: tuple
    messages: list[str]


@dataclass
class CheckResult:
    rows: int = 0
    clean: list[CleanRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    columns: dict[str, int] = field(default_factory=dict)
    extra_headers: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.rows > 0 and not self.errors


def _parse_date(text: str) -> date | None:
    text = (
        text.strip()
        .replace("年", "-")
        .replace("月", "-")
        .replace("日", "")
        .replace("/", "-")
        .replace(".", "-")
    )
    for pattern in ("%Y-%m-%d", "%Y%m%d", "%Y-%m"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


@lru_cache(maxsize=100_000)
def _region_valid_in(region: str, year: int) -> bool:
    try:
        ric.get_birth_place(f"{region}{year}0101000X")
    except stdnum_errors.ValidationError:
        return False
    return True


def _quick_id_number(value: str) -> str | None:
    """The normalised number when python-stdnum's checks (length, digits, check character, birth date, region
    valid at the birth year) all pass — the region lookup cached, as a roster repeats a few hundred regions.
    None otherwise: the validator then names the problem."""
    number = "".join(value.split()).upper()
    if len(number) != 18 or not number[:17].isdigit() or number[17] != ric.calc_check_digit(number):
        return None
    try:
        date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None
    return number if _region_valid_in(number[:6], int(number[6:10])) else None


def check_row(
    line: int, cells: tuple, columns: dict[str, int], today: date
) -> tuple[CleanRow | None, list[str]]:
    """One row on its own (no database): field by field, every message in the user's language."""
    raw = {}
    problems = []
    for column in COLUMNS:
        position = columns.get(column.key)
        value = cells[position] if position is not None and position < len(cells) else None
        if isinstance(value, float) and column.key in ("id_number", "mobile") and value >= 1e15:
            problems.append(
                _(
                    "%(column)s: stored as a number, so Excel dropped its last digits; format the "
                    "column as text and type it again."
                )
                % {"column": column.header}
            )
            value = ""
        text = _text(value)
        if text.startswith("="):
            problems.append(
                _("%(column)s: holds a formula; enter the value itself (paste as values).")
                % {"column": column.header}
            )
            text = ""
        raw[column.key] = text
    name = re.sub(r"\s+", "", raw["name"])
    if not name:
        problems.append(_("%(column)s: missing.") % {"column": "姓名"})
    elif len(name) > 60:
        problems.append(_("%(column)s: at most %(max)s characters.") % {"column": "姓名", "max": 60})
    id_number = ""
    if not raw["id_number"]:
        problems.append(_("%(column)s: missing.") % {"column": "身份证号"})
    else:
        id_number = _quick_id_number(raw["id_number"])
        if id_number is None:
            try:
                id_number = normalise_id_number(raw["id_number"].replace(" ", ""))
            except ValidationError as error:
                problems.append("身份证号: " + " ".join(error.messages))
                id_number = ""
    mobile = re.sub(r"[\s-]", "", raw["mobile"])
    if mobile.startswith("+86"):
        mobile = mobile[3:]
    if mobile and not MOBILE.match(mobile):
        problems.append("手机号: " + _("a mobile number has 11 digits and starts with 1."))
    form = _EMPLOYMENT.get(raw["employment_form"].replace(" ", ""))
    if not raw["employment_form"]:
        problems.append(_("%(column)s: missing.") % {"column": "就业形态"})
    elif form is None:
        problems.append(
            "就业形态: "
            + _('"%(value)s" is not one of the listed forms (see the template\'s second sheet).')
            % {"value": raw["employment_form"][:20]}
        )
    skill = ""
    if raw["skill_level"]:
        skill = _SKILL.get(raw["skill_level"].replace(" ", ""), "")
        if not skill:
            problems.append(
                "技能等级: "
                + _('"%(value)s" is not a skill level (see the template\'s second sheet).')
                % {"value": raw["skill_level"][:20]}
            )
    joined_on = today
    if raw["joined_on"]:
        joined_on = _parse_date(raw["joined_on"])
        if joined_on is None:
            problems.append("入会日期: " + _("not a date; write it as 2024-05-01."))
        elif joined_on > today:
            problems.append("入会日期: " + _("lies in the future."))
        elif joined_on.year < 1950:
            problems.append("入会日期: " + _("before 1950."))
    if len(raw["workplace"]) > 120:
        problems.append(
            _("%(column)s: at most %(max)s characters.") % {"column": "工作单位/平台", "max": 120}
        )
    if len(raw["occupation"]) > 60:
        problems.append(_("%(column)s: at most %(max)s characters.") % {"column": "职业", "max": 60})
    if problems:
        return None, problems
    return CleanRow(
        line=line,
        name=name,
        id_number=id_number,
        mobile=mobile,
        employment_form=form,
        workplace=raw["workplace"],
        occupation=raw["occupation"],
        skill_level=skill,
        joined_on=joined_on,
        bidx=blind_index(id_number),
    ), []


def _check_against_files(batch: list[CleanRow], union, actor, errors_by_line: dict[int, list[str]]) -> None:
    """Existing person files and current memberships, one query each per batch (the blind index is indexed)."""
    people = {
        p["id_number_bidx"]: p
        for p in Person.objects.filter(id_number_bidx__in=[r.bidx for r in batch]).values(
            "pk", "id_number_bidx", "name"
        )
    }
    current = {}
    if people:
        memberships = Membership.objects.filter(
            person_id__in=[p["pk"] for p in people.values()], status__in=CURRENT_STATUSES
        ).values("person_id", "union_id", "union__name", "union__path")
        current = {m["person_id"]: m for m in memberships}
    scope = actor.scope_for("members.view") if hasattr(actor, "scope_for") else None
    for row in batch:
        person = people.get(row.bidx)
        if person is None:
            continue
        if person["name"] != row.name:
            errors_by_line.setdefault(row.line, []).append(
                "身份证号: "
                + _("this ID number is on file under another name; check the name and the number.")
            )
            continue
        membership = current.get(person["pk"])
        if membership is None:
            row.person_id = person["pk"]
        elif membership["union_id"] == union.pk:
            errors_by_line.setdefault(row.line, []).append(_("Already a member of this union."))
        elif scope is not None and scope.covers_path(membership["union__path"]):
            errors_by_line.setdefault(row.line, []).append(
                _("Already a current member of %(union)s: move the membership with a transfer (会籍接转).")
                % {"union": membership["union__name"]}
            )
        else:
            errors_by_line.setdefault(row.line, []).append(
                _(
                    "Already a current member of another union: move the membership with a transfer (会籍接转)."
                )
            )


def check_sheet(sheet: Sheet, *, union, actor, progress=None, keep_clean: bool = True) -> CheckResult:
    """Every row: on its own, against the other rows of the file, and against the files on record."""
    result = CheckResult(columns=sheet.columns, extra_headers=sheet.extra_headers)
    today = timezone.localdate()
    seen: dict[str, int] = {}
    cells_by_line: dict[int, tuple] = {}
    errors_by_line: dict[int, list[str]] = {}
    batch: list[CleanRow] = []
    batch_cells: dict[int, tuple] = {}
    workplaces: set[str] = set()

    def flush():
        _check_against_files(batch, union, actor, errors_by_line)
        for row in batch:
            if row.line in errors_by_line:
                cells_by_line[row.line] = tuple(_text(c) for c in batch_cells[row.line])
            elif keep_clean:
                result.clean.append(row)
        batch.clear()
        batch_cells.clear()

    try:
        for line, cells in sheet.rows:
            if not any(_text(c) for c in cells):
                continue
            result.rows += 1
            if result.rows > MAX_ROWS:
                raise _too_many_rows()
            row, problems = check_row(line, cells, sheet.columns, today)
            if row is not None:
                first = seen.setdefault(row.bidx, line)
                if first != line:
                    problems.append(
                        "身份证号: " + _("the same ID number is already in row %(row)s.") % {"row": first}
                    )
                    row = None
            if problems:
                errors_by_line[line] = problems
            if problems or row is None:
                cells_by_line[line] = tuple(_text(c) for c in cells)
                continue
            if row.workplace:
                workplaces.add(row.workplace)
            batch.append(row)
            batch_cells[line] = cells
            if len(batch) >= CHECK_BATCH:
                flush()
                if progress:
                    progress(result.rows)
        if batch:
            flush()
    finally:
        sheet.close()
    if keep_clean and workplaces:
        _match_employers(result.clean, workplaces)
    # Rows that only failed against the files on record keep their cells for the corrected file.
    for line, messages in sorted(errors_by_line.items()):
        result.errors.append(RowError(line, cells_by_line.get(line, ()), messages))
    return result


def _match_employers(rows: list[CleanRow], names: set[str]) -> None:
    """A workplace that names a registered enterprise links the person to it; anything else (a platform,
    an unregistered shop) stays as text."""
    employers = {}
    names = list(names)
    for start in range(0, len(names), 500):
        for pk, name in Enterprise.objects.filter(name__in=names[start : start + 500]).values_list(
            "pk", "name"
        ):
            employers.setdefault(name, pk)
    for row in rows:
        row.employer_id = employers.get(row.workplace)


# -- the corrected file and the template ----------------------------------------------------------------


def template_xlsx() -> bytes:
    """The empty roster with its Chinese headers, and a second sheet listing the accepted values."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "会员名册"
    sheet.append([c.header + ("*" if c.required else "") for c in COLUMNS])
    for letter in "ABCDEFGH":
        sheet.column_dimensions[letter].width = 20
        # ID and mobile columns as text, so Excel keeps all 18 digits.
        if letter in "BC":
            for row in range(2, 2002):
                sheet[f"{letter}{row}"].number_format = "@"
    help_sheet = workbook.create_sheet("填写说明")
    help_sheet.append(["列", "说明"])
    help_sheet.append(["姓名*", "与身份证一致"])
    help_sheet.append(["身份证号*", "18 位，设为文本格式，系统校验出生日期、地区码和校验位"])
    help_sheet.append(["手机号", "11 位手机号码"])
    help_sheet.append(
        ["就业形态*", "填写以下之一：" + "、".join(labels[0] for labels in EMPLOYMENT_LABELS.values())]
    )
    help_sheet.append(["工作单位/平台", "已登记企业的全称，或所在平台名称"])
    help_sheet.append(["职业", "如：机械加工、外卖配送"])
    help_sheet.append(["技能等级", "、".join(labels[0] for labels in SKILL_LABELS.values())])
    help_sheet.append(["入会日期", "如 2024-05-01；不填为导入当日"])
    help_sheet.append(["注意", "不接受公式和合并单元格；同一人已是其他工会会员的，请办理会籍接转"])
    help_sheet.column_dimensions["B"].width = 90
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def corrected_file(result: CheckResult) -> bytes:
    """The rows with errors, with an error column first, in the template's layout: fix and upload again."""
    headers = ["错误说明"] + [c.header for c in COLUMNS]
    order = [result.columns.get(c.key) for c in COLUMNS]
    rows = (
        ["；".join(e.messages)] + [e.cells[p] if p is not None and p < len(e.cells) else "" for p in order]
        for e in result.errors
    )
    return write_xlsx(headers, rows, title="需更正")


def _preview(result: CheckResult) -> list[dict]:
    """Masked values only: the preview is stored in the database as plain JSON."""
    name_at, id_at = result.columns.get("name"), result.columns.get("id_number")
    preview = []
    for error in result.errors[:PREVIEW_ERRORS]:
        cells = error.cells
        preview.append(
            {
                "row": error.line,
                "name": cells[name_at] if name_at is not None and name_at < len(cells) else "",
                "id_number": mask_id_number(cells[id_at]) if id_at is not None and id_at < len(cells) else "",
                "messages": error.messages,
            }
        )
    return preview


# -- services -----------------------------------------------------------------------------------------------


def importable_unions(actor):
    """The unions a cadre may import into: their scope for ``members.import``."""
    return Organization.objects.visible_to(actor, IMPORT_PERM).filter(is_active=True)


def upload_roster(*, actor, union, upload, idempotency_key: str = "") -> RosterImport:
    """Store the upload and check it in the background. Size and type are judged before anything is parsed;
    the same idempotency key from the same cadre returns the first upload."""
    check_size(upload.size)
    if idempotency_key:
        existing = RosterImport.objects.filter(uploaded_by=actor, idempotency_key=idempotency_key).first()
        if existing:
            return existing
    data = upload.read()
    check_size(len(data))
    kind = kind_of(data, upload.name or "")
    with transaction.atomic():
        assert_in_scope(union, actor, IMPORT_PERM)
        stored = files.save_private(
            actor=actor,
            organization=union,
            purpose="members-roster",
            name=upload.name or f"roster.{kind}",
            data=data,
            content_type=XLSX_TYPE if kind == "xlsx" else CSV_TYPE,
        )
        try:
            with transaction.atomic():
                roster = RosterImport.objects.create(
                    union=union,
                    uploaded_by=actor,
                    source_file=stored,
                    file_name=stored.original_name,
                    sha256=hashlib.sha256(data).hexdigest(),
                    idempotency_key=idempotency_key,
                )
        except IntegrityError:  # the same key, submitted twice at once
            return RosterImport.objects.get(uploaded_by=actor, idempotency_key=idempotency_key)
        audit.record(
            actor=actor,
            action="members.roster_upload",
            obj=roster,
            after={"file": stored.original_name, "size": len(data)},
        )
        job = start_job(
            actor=actor,
            kind="members.roster_check",
            params={"import": roster.pk, "lang": get_language()},
            organization=union,
        )
        RosterImport.objects.filter(pk=roster.pk).update(validation_job=job)
        roster.validation_job = job
    return roster


def commit_roster(*, actor, roster: RosterImport) -> RosterImport:
    """Start landing a checked roster. Twice submitted (double tap, two cadres, two uploads of the same file)
    it lands once: the import row is locked, its status moves on once, and the database refuses a second
    import of the same file into the same union."""
    with transaction.atomic():
        roster = RosterImport.objects.select_for_update().get(pk=roster.pk)
        assert_in_scope(roster, actor, IMPORT_PERM)
        if roster.status in (RosterImportStatus.COMMITTING, RosterImportStatus.COMMITTED):
            return roster
        if roster.status not in (RosterImportStatus.READY, RosterImportStatus.FAILED):
            raise ValidationError(
                _("Only a roster without errors can be imported; fix the rows and upload it again.")
            )
        earlier = (
            RosterImport.objects.filter(
                union=roster.union,
                sha256=roster.sha256,
                status__in=[RosterImportStatus.COMMITTING, RosterImportStatus.COMMITTED],
            )
            .exclude(pk=roster.pk)
            .first()
        )
        if earlier:
            raise ValidationError(
                _("This file has already been imported into this union (upload of %(when)s).")
                % {"when": timezone.localtime(earlier.created_at).strftime("%Y-%m-%d %H:%M")}
            )
        try:
            with transaction.atomic():
                RosterImport.objects.filter(pk=roster.pk).update(
                    status=RosterImportStatus.COMMITTING, committed_by=actor
                )
        except IntegrityError:
            raise ValidationError(_("This file has already been imported into this union."))
        job = start_job(
            actor=actor,
            kind="members.roster_commit",
            params={"import": roster.pk, "lang": get_language()},
            organization=roster.union,
        )
        RosterImport.objects.filter(pk=roster.pk).update(commit_job=job)
        audit.record(
            actor=actor, action="members.roster_commit", obj=roster, after={"rows": roster.row_count}
        )
    roster.refresh_from_db()
    return roster


def _read_source(roster: RosterImport) -> bytes:
    with files.storage().open(roster.source_file.storage_name, "rb") as handle:
        return handle.read()


def _record_problems(roster, *, status, rows=0, result=None, file_error=None) -> None:
    problems = {
        "file": list(file_error.messages) if file_error else [],
        "rows": _preview(result) if result else [],
        "extra_headers": result.extra_headers[:20] if result else [],
    }
    RosterImport.objects.filter(pk=roster.pk).update(
        status=status,
        row_count=rows,
        error_count=len(result.errors) if result else 0,
        problems=problems,
    )


def _report(result: CheckResult | None, roster, suffix: str):
    name = roster.file_name.rsplit(".", 1)[0]
    data = (
        corrected_file(result) if result and result.errors else write_xlsx(["错误说明"], [], title="需更正")
    )
    return f"{name}-{suffix}.xlsx", data, XLSX_TYPE


def _give_up(job, status) -> None:
    """An unexpected error (a workbook openpyxl chokes on, a lost connection): the import must not stay
    "checking" or "importing" for ever, and nothing has landed (the landing transaction rolled back)."""
    logger.exception("roster job %s failed", job.pk)
    roster = RosterImport.objects.get(pk=job.params["import"])
    with override(job.params.get("lang") or "zh-hans"):
        message = _("The file could not be processed. Check that it opens in Excel and upload it again.")
        _record_problems(roster, status=status, file_error=RosterFileError(message))


@register("members.roster_check")
def run_check(job, progress):
    try:
        return _check(job, progress)
    except Exception:
        _give_up(job, RosterImportStatus.INVALID)
        raise


@register("members.roster_commit")
def run_commit(job, progress):
    try:
        return _commit(job, progress)
    except Exception:
        _give_up(job, RosterImportStatus.FAILED)
        raise


def _check(job, progress):
    """The preview: every row checked, the errors stored (masked) and the corrected file as the job's result."""
    roster = RosterImport.objects.select_related("union", "source_file", "uploaded_by").get(
        pk=job.params["import"]
    )
    with override(job.params.get("lang") or "zh-hans"):
        try:
            sheet = open_sheet(_read_source(roster), roster.file_name)
            estimate = max(1, roster.source_file.size // 80)
            result = check_sheet(
                sheet,
                union=roster.union,
                actor=roster.uploaded_by,
                keep_clean=False,
                progress=lambda n: progress(n, max(n, estimate)),
            )
        except RosterFileError as error:
            _record_problems(roster, status=RosterImportStatus.INVALID, file_error=error)
            return _report(None, roster, "错误")
        if result.rows == 0:
            _record_problems(
                roster,
                status=RosterImportStatus.INVALID,
                file_error=RosterFileError(_("The roster has headers but no rows.")),
            )
            return _report(None, roster, "错误")
        status = RosterImportStatus.READY if result.ok else RosterImportStatus.INVALID
        _record_problems(roster, status=status, rows=result.rows, result=result)
        progress(result.rows, result.rows)
        return _report(result, roster, "需更正")


def _insert(model, fields: list[str], rows: list[tuple], *, returning: bool = False) -> list[int]:
    """Bulk ``INSERT … RETURNING id`` with values already prepared for the database: what bulk_create sends,
    without its per-object work, which is most of the time of a 100,000-row import. On PostgreSQL one array
    per column through ``unnest`` (a short statement the driver prepares once); elsewhere multi-row VALUES.
    Table, column and type names come from the model; values always travel as parameters."""
    ops = connection.ops
    model_fields = [model._meta.get_field(name) for name in fields]
    table = ops.quote_name(model._meta.db_table)
    columns = ", ".join(ops.quote_name(f.column) for f in model_fields)
    suffix = " RETURNING " + ops.quote_name("id") if returning else ""
    postgres = connection.vendor == "postgresql"
    if postgres:
        arrays = ", ".join(f"%s::{f.db_type(connection)}[]" for f in model_fields)
        sql = f"INSERT INTO {table} ({columns}) SELECT * FROM unnest({arrays}){suffix}"  # noqa: S608
        per_batch = 10_000
    else:
        row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
        per_batch = max(1, min(1000, 30_000 // len(fields)))
    ids: list[int] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_batch):
            batch = rows[start : start + per_batch]
            if postgres:
                cursor.execute(sql, [list(column) for column in zip(*batch, strict=True)])
            else:
                values = ", ".join([row_sql] * len(batch))
                cursor.execute(
                    f"INSERT INTO {table} ({columns}) VALUES {values}{suffix}",  # noqa: S608
                    [value for row in batch for value in row],
                )
            if returning:
                ids.extend(found[0] for found in cursor.fetchall())
    return ids


def land(*, actor, roster, rows: list[CleanRow]) -> int:
    """Insert the checked rows whole, in one transaction, with bulk inserts: new person files (ID number
    encrypted, blind index, birth date and gender from the number), memberships with member numbers, an
    ``imported`` event each, one audit row for the import. The database's constraints (one current membership
    per person, one file per ID number, unique current member numbers) refuse anything that raced the check."""
    union = roster.union
    now = timezone.now()
    ops = connection.ops
    at = ops.adapt_datetimefield_value(now)
    ring = keyring()
    with transaction.atomic():
        locked = RosterImport.objects.select_for_update().get(pk=roster.pk)
        if locked.status != RosterImportStatus.COMMITTING:
            return 0  # a second delivery of the job, or the import was already landed
        fresh = [row for row in rows if row.person_id is None]
        person_rows = [
            (
                row.name,
                ring.encrypt(row.id_number),
                row.bidx,
                "M" if int(row.id_number[16]) % 2 else "F",
                ops.adapt_datefield_value(_birth_date(row.id_number)),
                row.mobile,
                row.employer_id,
                "" if row.employer_id else row.workplace[:80],
                row.employment_form,
                row.occupation,
                row.skill_level,
                union.pk,
                at,
            )
            for row in fresh
        ]
        ids = _insert(
            Person,
            [
                "name",
                "id_number",
                "id_number_bidx",
                "gender",
                "birth_date",
                "mobile",
                "employer",
                "platform_name",
                "employment_form",
                "occupation",
                "skill_level",
                "owner_organization",
                "created_at",
            ],
            person_rows,
            returning=True,
        )
        for row, pk in zip(fresh, ids, strict=True):
            row.person_id = pk
        numbers = allocate_member_numbers(union, len(rows))
        membership_ids = _insert(
            Membership,
            ["person", "union", "status", "member_number", "joined_on", "created_at"],
            [
                (
                    row.person_id,
                    union.pk,
                    MembershipStatus.ACTIVE.value,
                    number,
                    ops.adapt_datefield_value(row.joined_on),
                    at,
                )
                for row, number in zip(rows, numbers, strict=True)
            ],
            returning=True,
        )
        note = (_("Roster %(file)s") % {"file": roster.file_name})[:200]
        actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None
        _insert(
            MembershipEvent,
            ["person", "membership", "kind", "union", "note", "actor", "at"],
            [
                (row.person_id, pk, MembershipEventKind.IMPORTED.value, union.pk, note, actor_id, at)
                for row, pk in zip(rows, membership_ids, strict=True)
            ],
        )
        RosterImport.objects.filter(pk=roster.pk).update(
            status=RosterImportStatus.COMMITTED,
            imported_count=len(rows),
            committed_at=now,
        )
        audit.record(
            actor=actor,
            action="members.roster_imported",
            obj=locked,
            after={"imported": len(rows), "new_people": len(fresh), "union": union.pk},
        )
    return len(rows)


def _commit(job, progress):
    """Check the file again (things may have changed since the preview), then land it whole or not at all."""
    roster = RosterImport.objects.select_related("union", "source_file", "uploaded_by").get(
        pk=job.params["import"]
    )
    actor = job.requested_by
    with override(job.params.get("lang") or "zh-hans"):
        try:
            sheet = open_sheet(_read_source(roster), roster.file_name)
            total = max(1, roster.row_count) * 2
            result = check_sheet(
                sheet, union=roster.union, actor=actor, progress=lambda n: progress(n, total)
            )
        except RosterFileError as error:
            _record_problems(roster, status=RosterImportStatus.FAILED, file_error=error)
            return _report(None, roster, "错误")
        if not result.ok:
            _record_problems(roster, status=RosterImportStatus.INVALID, rows=result.rows, result=result)
            return _report(result, roster, "需更正")
        try:
            land(actor=actor, roster=roster, rows=result.clean)
        except (IntegrityError, ValidationError) as error:
            # Someone joined or was imported meanwhile: nothing landed; the cadre checks the file again.
            message = (
                " ".join(error.messages)
                if isinstance(error, ValidationError)
                else _(
                    "A person in the roster became a member meanwhile; nothing was imported. Upload the file again."
                )
            )
            _record_problems(
                roster,
                status=RosterImportStatus.FAILED,
                rows=result.rows,
                file_error=RosterFileError(message),
            )
            return _report(None, roster, "错误")
        progress(total, total)
        return _landed_list(roster)


def _landed_list(roster) -> tuple[str, bytes, str]:
    """The members this import created, with their numbers (ID numbers masked): the cadre's receipt."""
    roster.refresh_from_db()
    memberships = (
        Membership.objects.filter(
            union=roster.union, created_at=roster.committed_at, events__kind=MembershipEventKind.IMPORTED
        )
        .select_related("person")
        .order_by("pk")
    )
    rows = (
        (
            m.member_number,
            m.person.name,
            mask_id_number(m.person.id_number),
            mask_mobile(m.person.mobile),
            m.joined_on.isoformat(),
        )
        for m in memberships.iterator(chunk_size=2000)
    )
    data = write_xlsx(["会员编号", "姓名", "身份证号", "手机号", "入会日期"], rows, title="已导入")
    return f"{roster.file_name.rsplit('.', 1)[0]}-已导入.xlsx", data, XLSX_TYPE


# -- export -------------------------------------------------------------------------------------------------


@register("members.export_roster")
def export_roster(job, progress):
    """The scoped, filtered roster. ID numbers and mobiles masked unless the cadre holds
    ``members.view_sensitive``; then the export is audited as a full read. Cells are neutralised against
    formula injection by ``write_xlsx``."""
    from gonghui.members import selectors

    user = job.requested_by
    p = job.params
    union = None
    if p.get("union"):
        union = selectors.member_unions(user).filter(pk=p["union"]).first()
    full = user.has_gonghui_perm("members.view_sensitive")
    with override(p.get("lang") or "zh-hans"):
        qs = selectors.list_members(
            user,
            query=p.get("q", ""),
            union=union,
            status=p.get("status", "current"),
            employment_form=p.get("form", ""),
        ).order_by("-id")
        total = qs.count()
        if full:
            audit.record(
                actor=user,
                action="sensitive.read",
                obj=job,
                after={"field": "id_number", "rows": total},
                note="members.export_roster",
            )
        show_id = (lambda v: v) if full else mask_id_number
        show_mobile = (lambda v: v) if full else mask_mobile
        headers = [
            "会员编号",
            "姓名",
            "身份证号",
            "性别",
            "手机号",
            "就业形态",
            "工作单位/平台",
            "职业",
            "技能等级",
            "所在工会",
            "会籍状态",
            "入会日期",
        ]
        rows = (
            (
                m.member_number,
                m.person.name,
                show_id(m.person.id_number),
                m.person.get_gender_display(),
                show_mobile(m.person.mobile),
                m.person.get_employment_form_display(),
                m.person.employer.name if m.person.employer_id else m.person.platform_name,
                m.person.occupation,
                m.person.get_skill_level_display(),
                m.union.name,
                m.get_status_display(),
                m.joined_on.isoformat(),
            )
            for m in qs.select_related("person__employer").iterator(chunk_size=2000)
        )
        data = write_xlsx(headers, rows, title="会员名册", progress=progress, total=total)
    return f"members-{timezone.localtime():%Y%m%d-%H%M}.xlsx", data, XLSX_TYPE
