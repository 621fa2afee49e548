"""Legal citations in the reader's language: "PIPL Art. 52, 54; NDSMR Art. 31" on an English page,
"《个人信息保护法》第五十二条、第五十四条；《网络数据安全管理条例》第三十一条" on a Chinese one.

The questionnaire, the scoring rules and the certificate rules write their legal basis once, in the short
English form the law teams use in English (docs/domain.md lists the laws). A Chinese page names the law by
its Chinese title in 《》 and the article as the law writes it (第五十二条, 第二百五十三条之一, 第七十三条第（四）项);
a national standard keeps its number and names the clause (GB/T 35273-2020 第9.1条). A part this module does
not know is shown as written, never dropped. It lives in vendors, the lower layer, so that every app and its
templates (the `citations` tag library: {{ text|cite }}) cite the same way."""

import re

from django.utils.translation import get_language

# The short names used in the code, longest first so that "Advertising Law" is not read as "Ad Law".
LAWS_ZH = {
    "SPC/SPP Interpretation on PI Crimes (2017)": "《最高人民法院 最高人民检察院关于办理侵犯公民个人信息刑事案件适用法律若干问题的解释》",
    "SPC/SPP Interpretation 2017": "《最高人民法院 最高人民检察院关于办理侵犯公民个人信息刑事案件适用法律若干问题的解释》",
    "SAMR Internet Advertising Measures 2023": "《互联网广告管理办法》（2023年）",
    "MIIT SMS Provisions": "《通信短信息服务管理规定》",
    "Telecommunications Regulations": "《电信条例》",
    "Advertising Law": "《广告法》",
    "Criminal Law": "《刑法》",
    "Ad Law": "《广告法》",
    "NDSMR": "《网络数据安全管理条例》",
    "PIPL": "《个人信息保护法》",
    "GDPR": "欧盟《通用数据保护条例》",
    "CSL": "《网络安全法》",
    "DSL": "《数据安全法》",
}

_DIGITS = "零一二三四五六七八九"
_LAW = "|".join(re.escape(name) for name in sorted(LAWS_ZH, key=len, reverse=True))
_CITATION = re.compile(rf"^(?P<law>{_LAW}) Art\. (?P<articles>.+)$")
_STANDARD = re.compile(r"^(?P<number>GB(?:/T)? [\d.]+(?:-\d{4})?) (?P<clause>\d+(?:\.\d+)*)$")
_SINCE = re.compile(r"\s*\(Art\. (?P<article>\d+) since (?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\)")
_ITEM = re.compile(r"^(?P<article>\d+)(?:\((?P<item>\d+)\))?(?:-(?P<to>\d+)(?:\((?P<to_item>\d+)\))?)?$")


def chinese_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 21 -> 二十一, 253 -> 二百五十三, 105 -> 一百零五 (up to 9999)."""
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n % 10] if n % 10 else "")
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit:
            out += ("零" if zero and out else "") + _DIGITS[digit] + unit
            zero = False
        elif out:
            zero = True
    return out


def _article(article: str, item: str | None, *, gdpr: bool) -> str:
    text = f"第{chinese_number(int(article))}条"
    if item:
        # GDPR's articles have numbered paragraphs (款); the PRC laws' enumerations are items (项).
        text += f"第{chinese_number(int(item))}款" if gdpr else f"第（{chinese_number(int(item))}）项"
    return text


def _articles_zh(articles: str, *, gdpr: bool) -> str | None:
    since = _SINCE.search(articles)
    note = ""
    if since:
        note = "（{}年{}月{}日起为第{}条）".format(
            int(since["y"]), int(since["m"]), int(since["d"]), chinese_number(int(since["article"]))
        )
        articles = articles[: since.start()] + articles[since.end() :]
    parts = []
    for piece in (p.strip() for p in articles.split(",")):
        match = _ITEM.match(piece)
        if not match:
            return None
        first = _article(match["article"], match["item"], gdpr=gdpr)
        if match["to"] is None:
            parts.append(first)
        elif int(match["to"]) < int(match["article"]):
            # 253-1: an article inserted after 253 (第二百五十三条之一), not a range.
            parts.append(f"第{chinese_number(int(match['article']))}条之{chinese_number(int(match['to']))}")
        else:
            parts.append(f"{first}至{_article(match['to'], match['to_item'], gdpr=gdpr)}")
    return "、".join(parts) + note


def _part_zh(part: str) -> str:
    cited = _CITATION.match(part)
    if cited:
        articles = _articles_zh(cited["articles"], gdpr=cited["law"] == "GDPR")
        if articles is not None:
            return LAWS_ZH[cited["law"]] + articles
    standard = _STANDARD.match(part)
    if standard:
        return f"{standard['number']} 第{standard['clause']}条"
    return part


def citation_zh(text: str) -> str:
    """The citation in Chinese; a part that is not a known citation is kept as written."""
    if not text:
        return text or ""
    return "；".join(_part_zh(part.strip()) for part in text.split(";") if part.strip())


def citation(text: str, language: str | None = None) -> str:
    """The citation in `language` (the active language by default): Chinese on a Chinese page."""
    language = language or get_language() or ""
    return citation_zh(text) if language.startswith("zh") else (text or "")
