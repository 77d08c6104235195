"""Shanghai's 16 districts with their GB/T 2260 codes (the demo city; any city's codes work the same)."""

SHANGHAI_DISTRICTS: list[tuple[str, str]] = [
    ("310101", "黄浦区"),
    ("310104", "徐汇区"),
    ("310105", "长宁区"),
    ("310106", "静安区"),
    ("310107", "普陀区"),
    ("310109", "虹口区"),
    ("310110", "杨浦区"),
    ("310112", "闵行区"),
    ("310113", "宝山区"),
    ("310114", "嘉定区"),
    ("310115", "浦东新区"),
    ("310116", "金山区"),
    ("310117", "松江区"),
    ("310118", "青浦区"),
    ("310120", "奉贤区"),
    ("310151", "崇明区"),
]
DISTRICT_NAMES: dict[str, str] = dict(SHANGHAI_DISTRICTS)
