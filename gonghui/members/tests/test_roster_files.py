"""Reading roster files: the template, headers, merged cells, formulas, encodings, limits. Also the helpers the
other roster tests build their files with."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from openpyxl import Workbook, load_workbook
from stdnum.cn import ric

from gonghui.members import roster

HEADERS = ["姓名", "身份证号", "手机号", "就业形态", "工作单位/平台", "职业", "技能等级", "入会日期"]


def id_number(seq: int, region: str = "310104") -> str:
    body = f"{region}{1980 + seq % 20}{1 + seq % 12:02d}{1 + seq % 28:02d}{seq % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def xlsx(rows, headers=HEADERS, title_row=None, merge=None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    if title_row:
        sheet.append([title_row])
    sheet.append(headers)
    for row in rows:
        sheet.append(list(row))
    if merge:
        sheet.merge_cells(merge)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, headers=HEADERS, encoding="utf-8") -> bytes:
    lines = [",".join(headers)] + [",".join(str(c) for c in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def person_row(seq: int, name: str = "张三", form: str = "外卖骑手", **over):
    row = {
        "姓名": name,
        "身份证号": id_number(seq),
        "手机号": f"139{seq:08d}",
        "就业形态": form,
        "工作单位/平台": "同城外卖平台",
        "职业": "外卖配送",
        "技能等级": "",
        "入会日期": "2024-05-01",
    }
    row.update(over)
    return [row[h] for h in HEADERS]


def rows_of(data: bytes, name: str = "roster.xlsx"):
    sheet = roster.open_sheet(data, name)
    return sheet, list(sheet.rows)


def test_the_template_has_the_chinese_headers_and_reads_back_as_an_empty_roster():
    data = roster.template_xlsx()
    sheet = load_workbook(io.BytesIO(data)).worksheets
    assert [c.value for c in sheet[0][1]][:4] == ["姓名*", "身份证号*", "手机号", "就业形态*"]
    assert sheet[1].title == "填写说明"
    parsed, rows = rows_of(data)
    assert set(parsed.columns) == {c.key for c in roster.COLUMNS}
    assert [r for r in rows if any(r[1])] == []


def test_missing_headers_are_named():
    data = xlsx([["张三", id_number(1)]], headers=["名字", "身份证号"])
    with pytest.raises(ValidationError) as error:
        roster.open_sheet(data, "r.xlsx")
    message = " ".join(error.value.messages)
    assert "姓名" in message and "就业形态" in message and "名字" in message


def test_a_merged_title_row_above_the_headers_is_fine_but_merged_data_cells_are_not():
    title = xlsx([person_row(1)], title_row="浦东新区总工会会员名册", merge="A1:H1")
    sheet, rows = rows_of(title)
    assert len(rows) == 1 and sheet.columns["name"] == 0
    merged = xlsx([person_row(1), person_row(2)], merge="E2:E3")
    with pytest.raises(ValidationError) as error:
        roster.open_sheet(merged, "r.xlsx")
    assert "E2:E3" in error.value.messages[0]


def test_a_gbk_csv_is_read():
    data = csv_bytes([person_row(1, name="李四")], encoding="gbk")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    sheet, rows = rows_of(data, "名册.csv")
    assert rows[0][1][0] == "李四"


def test_a_csv_in_neither_utf8_nor_gbk_is_refused():
    data = "姓名,身份证号,就业形态\n".encode() + b"\xff\xfe\xfa\xfb,1,2\n"
    with pytest.raises(ValidationError) as error:
        roster.open_sheet(data, "r.csv")
    assert "GBK" in error.value.messages[0]


def test_empty_old_xls_and_unknown_files_are_refused():
    for data, name in [
        (b"", "r.xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "r.xls"),
        (b"%PDF-1.4", "r.pdf"),
        (b"PK\x03\x04broken", "r.xlsx"),
    ]:
        with pytest.raises(ValidationError):
            roster.open_sheet(data, name)


def test_a_file_above_the_size_limit_is_refused_before_parsing(monkeypatch):
    monkeypatch.setattr(roster, "MAX_BYTES", 100)
    with pytest.raises(ValidationError) as error:
        roster.check_size(101)
    assert "MB" in error.value.messages[0]


def test_too_many_rows_is_refused(monkeypatch):
    monkeypatch.setattr(roster, "MAX_ROWS", 3)
    with pytest.raises(ValidationError):
        list(roster.open_sheet(xlsx([person_row(i) for i in range(20)]), "r.xlsx").rows)
    assert len(list(roster.open_sheet(xlsx([person_row(i) for i in range(3)]), "r.xlsx").rows)) == 3
    with pytest.raises(ValidationError):
        roster.open_sheet(csv_bytes([person_row(i) for i in range(20)]), "r.csv")


@translation.override("en")
def test_row_checks_name_each_problem():
    today = __import__("datetime").date(2026, 1, 1)
    columns = {c.key: i for i, c in enumerate(roster.COLUMNS)}
    good = person_row(1)
    clean, problems = roster.check_row(2, tuple(good), columns, today)
    assert not problems and clean.employment_form == "food_delivery" and clean.mobile == "13900000001"
    wrong_check = good[:1] + [good[1][:-1] + ("0" if good[1][-1] != "0" else "1")] + good[2:]
    body = "31010419801399001"  # month 13: the check character is right, the date is not
    wrong_date = good[:1] + [body + ric.calc_check_digit(body + "0")] + good[2:]
    cases = {
        "check character": wrong_check,
        "birth date": wrong_date,
        "11 digits": person_row(1, 手机号="12345"),
        "listed forms": person_row(1, form="程序员"),
        "formula": person_row(1, name='=HYPERLINK("http://x")'),
        "future": person_row(1, 入会日期="2030-01-01"),
        "last digits": good[:1] + [3.10104198001e17] + good[2:],
    }
    for expected, cells in cases.items():
        clean, problems = roster.check_row(2, tuple(cells), columns, today)
        assert clean is None and expected in " ".join(problems), (expected, problems)


def test_the_corrected_file_reads_back_as_a_roster():
    result = roster.CheckResult(columns={c.key: i for i, c in enumerate(roster.COLUMNS)})
    result.errors.append(roster.RowError(2, tuple(person_row(1, name="钱二")), ["手机号: wrong"]))
    sheet, rows = rows_of(roster.corrected_file(result))
    assert sheet.extra_headers == ["错误说明"]
    assert rows[0][1][sheet.columns["name"]] == "钱二"
    assert rows[0][1][sheet.columns["id_number"]] == id_number(1)
