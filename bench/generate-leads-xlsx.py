#!/usr/bin/env python3
"""Writes a lead spreadsheet the way Excel does (shared strings, numbers as numbers), without any library.
Usage: generate-leads-xlsx.py OUT.xlsx [ROWS]   (default 100000 rows; about 1% bad phones, 2% repeated mobiles)"""
import random, sys, zipfile
from xml.sax.saxutils import escape

out, rows = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
rnd = random.Random(20261125)
headers = ["公司名称", "联系人", "职位", "手机", "邮箱", "行业", "规模", "地区", "预算", "采购时间", "备注"]
cities = ["上海", "北京", "深圳", "杭州", "苏州", "南京", "成都", "武汉", "广州", "无锡"]
industries = ["制造业", "软件与信息服务", "零售", "医疗健康", "教育", "金融", "物流", "能源", "新材料"]
sizes = ["50人以下", "50-199人", "200-999人", "1000人以上", "300"]
titles = ["采购经理", "IT总监", "总经理", "运营主管", "工程师"]
surnames = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何高林罗"
given = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"
budgets = ["50万", "¥100,000", "200000", "10万", "面议", "30-50万", ""]
frames = ["3个月", "半年", "1年内", "本月", "", "待定"]

strings, index = [], {}
def s(value):
    if value not in index:
        index[value] = len(strings)
        strings.append(value)
    return index[value]

def col(i):
    return chr(ord("A") + i)

def cell(ref, value):
    if value is None or value == "":
        return ""
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="s"><v>{s(value)}</v></c>'

sheet = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
         '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
         f'<dimension ref="A1:{col(len(headers) - 1)}{rows + 1}"/><sheetData>']
sheet.append('<row r="1">' + "".join(cell(f"{col(i)}1", h) for i, h in enumerate(headers)) + "</row>")
for n in range(rows):
    r = n + 2
    city = rnd.choice(cities)
    mobile = 13000000000 + rnd.randrange(900_000_000)
    if rnd.random() < 0.02 and n > 10:
        mobile = 13000000000 + (n // 7)  # a repeated mobile: a duplicate inside the file
    phone = mobile if rnd.random() > 0.01 else f"1{rnd.randrange(100)}-abc"  # about 1% bad phones
    values = [
        f"{city}{rnd.choice(['华信', '恒通', '云杉', '明远', '远帆', '澄明', '启明', '宏达'])}{n}有限公司",
        rnd.choice(surnames) + rnd.choice(given) + (rnd.choice(given) if rnd.random() < 0.5 else ""),
        rnd.choice(titles),
        phone,
        f"user{n}@example{n % 97}.cn" if rnd.random() < 0.7 else "",
        rnd.choice(industries),
        rnd.choice(sizes),
        city,
        rnd.choice(budgets),
        rnd.choice(frames),
        "展会名单" if rnd.random() < 0.3 else "",
    ]
    sheet.append(f'<row r="{r}">' + "".join(cell(f"{col(i)}{r}", v) for i, v in enumerate(values)) + "</row>")
sheet.append("</sheetData></worksheet>")

shared = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
          f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{len(strings)}" uniqueCount="{len(strings)}">']
shared += [f"<si><t>{escape(v)}</t></si>" for v in strings]
shared.append("</sst>")

with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        '</Types>')
    z.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        '</Relationships>')
    z.writestr("xl/workbook.xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="线索" sheetId="1" r:id="rId1"/></sheets></workbook>')
    z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
        '</Relationships>')
    z.writestr("xl/worksheets/sheet1.xml", "".join(sheet))
    z.writestr("xl/sharedStrings.xml", "".join(shared))
print(f"{out}: {rows} rows, {len(strings)} shared strings")
