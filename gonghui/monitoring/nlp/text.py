"""Text hygiene: normalisation of incoming posts and redaction of personal data."""

import html
import re
import unicodedata

import nh3

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u2028\u2029\ufeff]")
_SPACE = re.compile(r"[ \t\r\f\v\u00a0\u3000]+")
_NEWLINES = re.compile(r"\s*\n\s*")
_TAG = re.compile(r"<[^<>]*>")


def _decode(data: bytes) -> str:
    """UTF-8, else GB18030 (older Chinese sites), else UTF-8 with replacement characters."""
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def normalize(text: str | bytes | None, *, max_length: int = 5000) -> str:
    """Plain text from a post: HTML and scripts stripped, entities unescaped, whitespace collapsed, capped.

    The result never contains markup: any '<' or '>' left after stripping becomes its full-width form.
    """
    if text is None:
        return ""
    if isinstance(text, bytes):
        text = _decode(text)
    # Bound the work on hostile input before parsing (a tag could straddle the cut; it is stripped below).
    text = text[: max(max_length * 20, 10_000)]
    text = re.sub(r"(?i)<\s*br\s*/?\s*>|</\s*(p|div|li|h[1-6]|tr)\s*>", "\n", text)
    for _ in range(3):
        cleaned = html.unescape(nh3.clean(text, tags=set(), attributes={}, strip_comments=True))
        if cleaned == text:
            break
        text = cleaned
    text = _TAG.sub(" ", text)
    text = text.replace("<", "＜").replace(">", "＞")
    text = unicodedata.normalize("NFC", text)
    text = _CONTROL.sub("", text)
    text = _SPACE.sub(" ", text)
    text = _NEWLINES.sub("\n", text).strip()
    if len(text) > max_length:
        text = text[:max_length].rstrip()
    return text


# --- redaction -------------------------------------------------------------------------------------

_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    "常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季"
    "裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦"
    "戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻"
    "苑迟邝"
)
_COMPOUND_SURNAMES = "欧阳|司马|上官|诸葛|东方|皇甫|令狐|慕容|尉迟|公孙|长孙|夏侯|端木|西门|南宫"
_SURNAME = f"(?:{_COMPOUND_SURNAMES}|[{_SURNAMES}])"
_HAN = "[\u4e00-\u9fff]"
_TITLES = (
    "先生|女士|小姐|师傅|经理|老板|老总|总经理|主管|总监|主任|厂长|班长|组长|工头|包工头|队长|书记|科长|处长|局长|"
    "律师|会计|阿姨|大姐|大哥|姐|哥|老师|医生|同志|某某|某"
)

_LONG_DIGITS = re.compile(r"(?<!\d)\d{15,}[Xx]?(?!\d)")
_SPACED_ID = re.compile(r"(?<!\d)\d{6}[ -]\d{8}[ -]\d{3}[\dXx](?!\d)")
_MOBILE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(?:\(0\d{2,3}\)|0\d{2,3})[- ]?\d{7,8}(?:-\d{1,5})?(?!\d)")
_CUED_NUMBER = re.compile(r"((?:电话|手机|联系方式|tel|TEL|Tel|微信|QQ|qq)[号码是为:：\s]*)[\d\- ]{5,}\d")
_ADDRESS = re.compile(
    rf"{_HAN}{{1,12}}?(?:路|街|大道|道|巷|弄|村|镇)\s*\d+\s*(?:号楼|支弄|弄|号)"
    rf"(?:\s*\d+\s*(?:号楼|弄|号|幢|栋|座|单元|层|楼|室))*"
    rf"|{_HAN}{{1,10}}(?:小区|新村|花园|公寓|家园|苑)\s*\d+\s*(?:号楼|幢|栋|号|座)(?:\s*\d+\s*(?:单元|层|楼|室|号))*"
)
_NAME_CUE = re.compile(
    rf"((?:我叫|本人叫|名叫|叫做|我的名字是|姓名[:：]?\s*|联系人[:：]?\s*|投诉人[:：]?\s*|来电人[:：]?\s*|"
    rf"申请人[:：]?\s*|反映人[:：]?\s*|当事人[:：]?\s*|原告|被告人))({_SURNAME}{_HAN}{{1,2}})"
)
# Titles and familiar forms only with the most common surnames, none of which ends everyday words
# (小时, 小于, 公司经理, 项目经理 stay untouched).
_COMMON = "王李张刘陈杨黄赵吴周徐孙朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖董袁潘蒋蔡杜叶程苏魏吕丁沈姚卢姜崔钟谭陆汪贾邹孟熊秦邱尹薛侯陶黎贺顾毛郝龚邵钱戴莫汤"
_TITLED = re.compile(rf"(?:{_COMPOUND_SURNAMES}|[{_COMMON}])(?={_TITLES})|{_SURNAME}(?=某某|某)")
_FAMILIAR = re.compile(rf"(?<![大])(?:老|小)[{_COMMON}](?![子同历末家孩姐妹])")


def redact(text: str) -> str:
    """Mask personal data before internal texts (hall requests, hotline notes) enter monitoring.

    ID numbers and long digit runs, mobile and landline numbers, street addresses, and personal names in the
    usual patterns (我叫王小明, 姓名：王小明, 张某某, 王经理/李师傅, 老王) are replaced by placeholders.
    """
    if not text:
        return ""
    text = _SPACED_ID.sub("[证件号]", text)
    text = _LONG_DIGITS.sub("[证件号]", text)
    text = _MOBILE.sub("[电话]", text)
    text = _LANDLINE.sub("[电话]", text)
    text = _CUED_NUMBER.sub(lambda m: m.group(1) + "[电话]", text)
    text = _ADDRESS.sub("[地址]", text)
    text = _NAME_CUE.sub(lambda m: m.group(1) + "某某", text)
    text = _TITLED.sub("某", text)
    text = _FAMILIAR.sub(lambda m: m.group(0)[0] + "某", text)
    return text
