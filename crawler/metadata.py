"""Document understanding: meta tags, the metadata block and the body text of a page.

Every function takes an lxml.html tree (or an HTML string) or plain text and returns values:
no network, no I/O, and no exceptions for bad input (an empty dict, None or "" instead).
The vocabularies are module-level data so that a site's configuration can extend them; the
label conventions read from a document's text (三审, 文号, 有效性) are crawler.labels'.
"""

from __future__ import annotations

import re
from functools import lru_cache

import lxml.etree
import lxml.html

from core.labels import SPACE, spaced, starts

# --- data -----------------------------------------------------------------------------

#: The page meta tags of 国办发〔2017〕47号, in their canonical spelling.
META_TAG_NAMES = (
    "SiteName", "SiteDomain", "SiteIDCode", "ColumnName",
    "ColumnType", "ArticleTitle", "PubDate", "ContentSource",
)

#: Labels of a document metadata block → the canonical key they are reported under.
METADATA_LABELS = {
    "索引号": "索引号",
    "主题分类": "主题分类",
    "发布机构": "发布机构",
    "发文机关": "发布机构",
    "成文日期": "成文日期",
    "发布日期": "发布日期",
    "发布时间": "发布日期",
    "文号": "文号",
    "发文字号": "文号",
    "有效性": "有效性",
    "时效性": "有效性",
    "名称": "标题",
    "标题": "标题",
    "生效日期": "生效日期",
    "废止日期": "废止日期",
    "体裁分类": "体裁分类",
    "组配分类": "组配分类",
}

_KNOWN_KEYS = frozenset(METADATA_LABELS.values())

#: A metadata block must show at least this many distinct labels.
MIN_METADATA_LABELS = 3

#: The label every 政府信息公开 metadata block shows: with it, labels the vocabulary does not
#: know (生成日期, 公开方式…) count towards a block when they have a label's shape.
HALLMARK_LABEL = "索引号"

#: Body containers of the common CMS templates, most specific first.
BODY_XPATHS = (
    ".//div[contains(concat(' ', normalize-space(@class), ' '), ' TRS_Editor ')]",
    ".//*[contains(concat(' ', normalize-space(@class), ' '), ' TRS_UEDITOR ')]",
    ".//*[@id='zoom']",
    ".//*[contains(concat(' ', normalize-space(@class), ' '), ' article-content ')]",
    ".//*[@id='Zoom']",
    ".//*[contains(concat(' ', normalize-space(@class), ' '), ' content ')]",
    ".//body",
    ".",  # a fragment or sub-element: its own text
)

# --- helpers --------------------------------------------------------------------------

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_INVISIBLE = {"script", "style", "noscript", "template", "head", "title"}
# Elements whose end finishes a label's value: a row ends it even when the value is empty,
# a cell only once the value has started (the value may sit in the next cell).
_ROW_TAGS = {"tr", "li", "p", "table", "ul", "ol", "dl", "h1", "h2", "h3", "h4", "h5", "h6"}
_CELL_TAGS = {"td", "th", "div", "dt", "dd", "br", "section", "article"}
_CONTAINER_TAGS = {"table", "tbody", "ul", "ol", "dl", "div", "p", "section", "article"}


def _tree(doc):
    """An lxml element for ``doc`` (element, str or bytes), or None."""
    if isinstance(doc, lxml.etree._Element):
        return doc
    if isinstance(doc, str):
        # lxml refuses str input that still carries an XML encoding declaration.
        doc = _XML_DECL.sub("", doc)
    if not isinstance(doc, (str, bytes)) or not doc.strip():
        return None
    try:
        return lxml.html.document_fromstring(doc)
    except (lxml.etree.ParserError, ValueError):
        return None


def _tag(el) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


_WS = re.compile(r"\s+")
# A label's shape: a few CJK characters ending with a colon, alone in their element (<label>索 引
# 号：</label>, <th>生成日期：</th>), not in running text.
_SHAPED_LABEL = re.compile(f"[{SPACE}]*[\u4e00-\u9fff](?:[{SPACE}]*[\u4e00-\u9fff]){{1,5}}[{SPACE}]*[:：][{SPACE}]*")
_SPACES = re.compile(f"[{SPACE}]+")
_COLON = re.compile("[:：]")


def _collapse(text: str) -> str:
    return _WS.sub(" ", text).strip()


def normalise_label(s: str) -> str:
    """A label as printed (``有　效　性：``, ``【索引号】``) reduced to its words (``有效性``)."""
    if not isinstance(s, str):
        return ""
    s = _SPACES.sub("", s)
    return s.strip("【】[]").rstrip(":：")


# A known label followed by a colon, at the start of a text or after a space/separator.
_INLINE_LABEL = re.compile(
    f"(?:^|(?<=[{SPACE}|｜]))(?P<label>"
    + "|".join(spaced(w) for w in sorted(METADATA_LABELS, key=len, reverse=True))
    + f")[{SPACE}]*[:：]"
)

# --- meta tags ------------------------------------------------------------------------


def meta_tags(doc) -> dict[str, str]:
    """The 国办发〔2017〕47号 meta tags present on the page: canonical name → stripped content."""
    root = _tree(doc)
    if root is None:
        return {}
    wanted = {name.lower(): name for name in META_TAG_NAMES}
    found: dict[str, str] = {}
    for meta in root.iter("meta"):
        name = meta.get("name")
        name = wanted.get(name.strip().lower()) if name else None
        # Templates sometimes print a tag twice, the first one empty.
        if name and (name not in found or not found[name]):
            found[name] = (meta.get("content") or "").strip()
    return found


# --- metadata block -------------------------------------------------------------------


_WALK_EVENTS = ("start", "end", "comment", "pi")


_SKIPPED, _OTHER, _ROW, _CELL = 0, 1, 2, 3
_PAIR_KINDS: dict[str, int] = {}  # tag -> what its end means to the pair scanner


def _pair_kind(tag: str) -> int:
    kind = _PAIR_KINDS.get(tag)
    if kind is None:
        low = tag.lower()
        kind = (_SKIPPED if not low or low in _INVISIBLE else _ROW if low in _ROW_TAGS
                else _CELL if low in _CELL_TAGS else _OTHER)
        if len(_PAIR_KINDS) < 2048:
            _PAIR_KINDS[tag] = kind
    return kind


def _labels_pattern(labels) -> re.Pattern:
    """Any of ``labels`` (spaced or not) anywhere in a text: what a label must show."""
    alternatives = "|".join(spaced(w) for w in sorted(labels, key=len, reverse=True))
    return re.compile(f"{starts(labels)}(?:{alternatives})")


_INLINE_WORDS = frozenset(METADATA_LABELS)  # the words _INLINE_LABEL was compiled with


@lru_cache(maxsize=8)
def _label_finder(labels: frozenset) -> tuple[re.Pattern, re.Pattern | None]:
    """(a pattern finding any label a text could hold, one finding every occurrence of the
    known labels at once, or None when a label starts with another one)."""
    words = labels | _INLINE_WORDS
    prefix = any(a != b and b.startswith(a) for a in words for b in words)
    # (the first characters' lookahead outside the capturing one lets the engine skip ahead)
    every = None if prefix else re.compile(f"{starts(words)}(?=({_labels_pattern(words).pattern}))")
    return _labels_pattern(words), every


def _scan_pairs(root, shapes: bool = False) -> list[tuple[str, str, object]]:
    """Every (canonical key, value, label element) pair found under ``root`` (``shapes``: with
    the labels of a label's shape).

    Reads the visible texts in document order (an element's text and its children's tails,
    owned by it; nothing below depth 200) and the ends of rows and cells."""
    pairs: list[tuple[str, str, object, bool]] = []
    label = owner = None
    colon = False
    parts: list[str] = []
    row_start = 0
    maybe_label = _label_finder(frozenset(METADATA_LABELS))[0].search
    shaped = _shaped if shapes else _never

    def commit():
        nonlocal label, owner, parts
        if label:
            value = _collapse("".join(parts)).strip(":： ")
            pairs.append((METADATA_LABELS.get(label, label), value, owner, colon))
        label, owner, parts = None, None, []

    def read(data, el):  # a text that may hold a label
        nonlocal label, owner, colon
        if normalise_label(data) in METADATA_LABELS or shaped(data):
            commit()
            label, owner, colon = normalise_label(data), el, bool(_COLON.search(data))
            return
        pos = 0
        for match in _INLINE_LABEL.finditer(data):
            parts.append(data[pos:match.start()])
            commit()
            label, owner, colon = normalise_label(match.group("label")), el, True
            pos = match.end()
        parts.append(data[pos:])

    kinds = _PAIR_KINDS
    depth = 0
    skipped = None
    walker = lxml.etree.iterwalk(root, events=_WALK_EVENTS)
    for event, node in walker:
        if event == "start":
            kind = kinds.get(node.tag)
            if kind is None:
                kind = _pair_kind(node.tag)
            if kind and depth < 200:
                text = node.text
                if text:
                    if maybe_label(text) or shaped(text):
                        read(text, node)
                    elif label:  # without a label, the text before the next one is never read
                        parts.append(text)
                depth += 1
            else:
                skipped = node
                walker.skip_subtree()
            continue
        if event == "end":
            if node is skipped:
                skipped = None
            else:
                depth -= 1
                kind = kinds.get(node.tag) or _pair_kind(node.tag)
                if kind == _ROW:
                    commit()
                    # A list table's header (标题 | 文号 | 发布日期): labels without colons or values.
                    if len(pairs) - row_start >= 2 and not any(
                            value or has_colon for _k, value, _o, has_colon in pairs[row_start:]):
                        del pairs[row_start:]
                    row_start = len(pairs)
                elif kind == _CELL and label:
                    if any(part.strip() for part in parts) or _is_row_of(node, owner):
                        commit()  # (<div><label>有效性</label><span></span></div>: an empty value)
            if node is root:
                break
        # an element's or comment's tail is text of its parent
        tail = node.tail
        if tail:
            if maybe_label(tail) or shaped(tail):
                read(tail, node.getparent())
            elif label:
                parts.append(tail)
    commit()
    return [(key, value, owner) for key, value, owner, _colon in pairs]


def _shaped(text: str) -> bool:
    return len(text) <= 24 and bool(_SHAPED_LABEL.fullmatch(text))


def _never(_text: str) -> bool:
    return False


def _is_row_of(el, owner) -> bool:
    """True when ``el`` holds the label *and something else* (even an empty ``<span>``):
    it is the label's row, not a cell whose value sits in the next cell."""
    path = [owner, *owner.iterancestors()] if owner is not None else []
    if not any(node is el for node in path):
        return False
    for node in path[: next(i for i, n in enumerate(path) if n is el) + 1]:
        for child in node:
            off_path = not any(child is n for n in path)
            if off_path and _tag(child) not in ("", "br"):
                return True
    return False


def metadata_block(doc, whole_text: str | None = None) -> dict[str, str]:
    """The document metadata block (索引号, 发布机构, 有效性…) as canonical label → value.

    The block is the table, list or div holding the most distinct known labels (the
    innermost on a tie), at least :data:`MIN_METADATA_LABELS` of them; or as many labels
    with :data:`HALLMARK_LABEL` among them when labels of a label's shape count too (a few
    words and a colon alone in their element; reported as printed: 生成日期, 公开方式).
    Synonyms are folded (发文机关 → 发布机构, 发文字号 → 文号, 名称 → 标题); a label printed
    without a value maps to "".
    Meant for document pages: on a list page the first item's labels could pass for a block.
    ``whole_text``: the tree's text_content() when the caller has it already.
    """
    root = _tree(doc)
    if root is None:
        return {}
    # Every label of a pair shows in the tree's text: with fewer distinct ones than a block
    # needs, there is no block (most pages: nothing more to read).
    every = _label_finder(frozenset(METADATA_LABELS))[1]
    shapes = True  # (unknown when the labels cannot be counted at once: read them)
    if every is not None:
        text = root.text_content() if whole_text is None else whole_text
        keys = set()
        for match in every.finditer(text):
            word = _SPACES.sub("", match.group(1))
            keys.add(METADATA_LABELS.get(word, word))
        shapes = HALLMARK_LABEL in keys
        if len(keys) < MIN_METADATA_LABELS and not shapes:
            return {}
    counts: dict[object, set[str]] = {}
    depths: dict[object, int] = {}
    containers: dict[object, list] = {}  # owner -> its container ancestors (itself first)
    for key, _value, owner in _scan_pairs(root, shapes):
        found = containers.get(owner)
        if found is None:
            path = [owner, *owner.iterancestors()]
            found = containers[owner] = [el for el in path if _tag(el) in _CONTAINER_TAGS]
            for n, el in enumerate(path):
                depths[el] = len(path) - 1 - n  # its number of ancestors
        for el in found:
            counts.setdefault(el, set()).add(key)
    best, best_count, best_depth = None, 0, -1
    for el, keys in counts.items():
        known = len(keys & _KNOWN_KEYS)  # (labels of a shape only, 电话： 地址：, make no block)
        if known < MIN_METADATA_LABELS and not (HALLMARK_LABEL in keys and len(keys) >= MIN_METADATA_LABELS):
            continue
        depth = depths[el]
        if (known, depth) > (best_count, best_depth):
            best, best_count, best_depth = el, known, depth
    if best is None:
        return {}
    block: dict[str, str] = {}
    for key, value, _owner in _scan_pairs(best, shapes):
        if not block.get(key):  # first value wins; a later one only fills an empty slot
            block[key] = value
    return block


# --- body text ------------------------------------------------------------------------

_BLOCKS = _ROW_TAGS | _CELL_TAGS | {"body", "blockquote", "pre"}


def _visible(el, out: list[str], depth=0) -> None:
    tag = _tag(el)
    if not tag or tag in _INVISIBLE or depth > 200:
        return
    if el.text:
        out.append(el.text)
    for child in el:
        _visible(child, out, depth + 1)
        if child.tail:
            out.append(child.tail)
    if tag in _BLOCKS:
        out.append(" ")  # keep words of adjacent paragraphs apart


def text_excerpt(doc, limit: int = 500) -> str:
    """The visible body text (the CMS body container when there is one, searched inside
    ``doc``), whitespace collapsed, scripts and styles dropped, cut to ``limit`` characters."""
    root = _tree(doc)
    if root is None:
        return ""
    for xpath in BODY_XPATHS:
        for el in root.xpath(xpath):
            out: list[str] = []
            _visible(el, out)
            text = _collapse("".join(out))
            if text:
                return text[: max(limit, 0)]
    return ""
