"""A synthetic TRS-like government portal for the benchmark: N static pages, deterministic.

Shape (page ids 0..N-1, a tree of branching 6 so every page is reachable, depth ~log6 N):
  0              the home page, served at "/"
  1..6           the six top columns, "/{sec}/index.html"
  i with children  deeper columns "/{sec}/c{i}/index.html"
  the others     articles "{column dir}{yyyymm}/t{yyyymmdd}_{i}.html" (TRS's naming)
Every page shares a header (logo, css, js, a 7-link nav) and a footer (one link to the
external host). Columns list their children (relative "./…" links, as TRS writes them)
and two recommended pages; articles carry a breadcrumb, five related pages, 2-3 attachments
(pdf/doc/xls), one content image and one link to the external host (`ext_origin`, by
default http://www.ext-bench.cn; internal links never name a host). About 2% of articles
have one dead link (a 404). Attachments and images are not files of their own: nginx
answers every *.pdf|doc|xls|jpg|png path with a small sample file of that type.
"""

from __future__ import annotations

import os
import random
from datetime import date, timedelta
from pathlib import Path

SITE_HOST = "www.bench-gov.cn"
EXT_HOST = "www.ext-bench.cn"
BRANCH = 6
SITE_NAME = "滨池市人民政府"

SECTIONS = [
    ("xwzx", "新闻中心"), ("zwgk", "政务公开"), ("bsfw", "办事服务"),
    ("hdjl", "互动交流"), ("zcwj", "政策文件"), ("tzgg", "通知公告"),
]
COLUMN_WORDS = ["工作动态", "部门信息", "乡镇动态", "图片新闻", "政策解读", "规划计划", "人事信息", "财政资金",
                "统计信息", "应急管理", "建议提案", "公示公告", "招标采购", "民生实事", "营商环境", "专题专栏"]
PHRASES = [
    "为深入贯彻落实党中央、国务院决策部署", "进一步优化营商环境", "切实提升政务服务水平", "根据有关法律法规规定",
    "结合我市实际", "现将有关事项通知如下", "各乡镇人民政府、街道办事处", "市政府各部门、各直属机构",
    "坚持以人民为中心的发展思想", "推动经济社会高质量发展", "加强组织领导", "压实工作责任",
    "强化督促检查", "确保各项任务落到实处", "全面推进依法行政", "持续深化“放管服”改革",
    "加快推进数字政府建设", "健全完善长效机制", "统筹推进疫情防控和经济社会发展", "扎实做好民生保障工作",
    "会议强调", "会议指出", "据了解", "截至目前", "下一步", "我市将继续", "按照工作安排",
    "市委常委、常务副市长主持会议", "各有关单位要高度重视", "认真抓好贯彻落实", "广泛听取社会各界意见",
    "进一步规范行政权力运行", "不断增强人民群众获得感、幸福感、安全感", "全力以赴抓项目促投资",
    "稳步推进乡村振兴战略", "切实加强生态环境保护", "加快构建现代产业体系", "优化公共服务供给",
    "全年完成固定资产投资", "同比增长百分之八点五", "共受理政务服务事项", "办结率达到百分之百",
]
TITLE_HEADS = ["关于印发", "关于做好", "关于开展", "关于公布", "关于进一步加强", "我市召开", "市政府召开", "关于征求"]
TITLE_TAILS = ["工作方案的通知", "有关工作的通知", "专项行动的实施意见", "工作推进会", "常务会议", "意见建议的公告",
               "名单的公示", "管理办法（试行）", "情况的报告", "年度工作要点"]
TOPICS = ["优化营商环境", "安全生产", "城乡环境整治", "乡村振兴", "政务公开", "数字政府", "防汛抗旱", "民生实事",
          "medical保障", "农村人居环境", "招商引资", "生态环境保护", "食品安全", "重大项目建设", "就业创业"]
TOPICS = [t.replace("medical", "医疗") for t in TOPICS]
ATTACH_TYPES = ["pdf", "doc", "docx", "xls", "xlsx"]

# One small sample file per attachment type (the bytes only need the right extension).
SAMPLES = {
    "pdf": b"%PDF-1.4\n% bench sample\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
    "doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504,
    "docx": b"PK\x03\x04" + b"\0" * 508,
    "xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504,
    "xlsx": b"PK\x03\x04" + b"\0" * 508,
    "jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\0" * 300 + b"\xff\xd9",
    "png": b"\x89PNG\r\n\x1a\n" + b"\0" * 300,
}
STATIC = {
    "css/common.css": "body{margin:0;font:14px/1.6 'Microsoft YaHei',SimSun}.nav a{padding:0 12px}" * 20,
    "js/jquery.min.js": "/*! bench stand-in */window.$=function(){return{ready:function(f){f()}}};" * 30,
    "js/common.js": "function createPageHTML(n,c,p,e){document.write('');}" * 10,
}


class Portal:
    """The URL and content plan of the portal; `write(root)` lays it out as files."""

    def __init__(self, pages: int, seed: int = 1, ext_origin: str | None = None):
        """`ext_origin` ("http://127.0.0.2:8080") replaces "http://www.ext-bench.cn" in the links
        to the second host, byte for byte the same site otherwise (same seed, same pages and
        links): the copy that host-name-less crawlers (LinkChecker, linkinator) are run on."""
        if pages < BRANCH + 2:
            raise ValueError(f"--pages must be at least {BRANCH + 2}")
        self.n = pages
        self.seed = seed
        self.ext_origin = ext_origin or f"http://{EXT_HOST}"
        rng = random.Random(seed)
        self.section = [0] * pages
        self.column_name = [""] * pages
        self.date = [date(2024, 1, 1)] * pages
        self.title = [""] * pages
        start = date(2015, 1, 1)
        for i in range(1, pages):
            self.section[i] = i - 1 if i <= BRANCH else self.section[self.parent(i)]
            self.date[i] = start + timedelta(days=rng.randrange(3650))
            if self.is_column(i):
                self.column_name[i] = SECTIONS[i - 1][1] if i <= BRANCH else rng.choice(COLUMN_WORDS)
                self.title[i] = self.column_name[i]
            else:
                self.title[i] = rng.choice(TITLE_HEADS) + rng.choice(TOPICS) + rng.choice(TITLE_TAILS)
        self.title[0] = SITE_NAME
        self.column_name[0] = "首页"
        self.urls = [self._path(i) for i in range(pages)]

    # ------------------------------------------------------------ structure
    def parent(self, i: int) -> int:
        return (i - 1) // BRANCH

    def children(self, i: int) -> range:
        return range(BRANCH * i + 1, min(BRANCH * i + BRANCH + 1, self.n))

    def is_column(self, i: int) -> bool:
        return i == 0 or BRANCH * i + 1 < self.n

    def column_dir(self, i: int) -> str:
        sec = SECTIONS[self.section[i]][0]
        return f"/{sec}/" if i <= BRANCH else f"/{sec}/c{i}/"

    def _path(self, i: int) -> str:
        if i == 0:
            return "/"
        if self.is_column(i):
            return self.column_dir(i) + "index.html"
        d = self.date[i]
        return f"{self.column_dir(self.parent(i))}{d:%Y%m}/t{d:%Y%m%d}_{i}.html"

    def file_of(self, i: int) -> str:
        path = self.urls[i]
        return "index.html" if path == "/" else path.lstrip("/")

    def depth_max(self) -> int:
        depth, i = 0, self.n - 1
        while i:
            i, depth = self.parent(i), depth + 1
        return depth

    # ------------------------------------------------------------ content
    def _text(self, rng: random.Random, sentences: int) -> str:
        return "".join(rng.choice(PHRASES) + ("，" if rng.random() < 0.6 else "。") for _ in range(sentences))

    def _header(self, i: int) -> str:
        nav = "".join(f'<li><a href="/{sec}/index.html" target="_blank">{name}</a></li>' for sec, name in SECTIONS)
        return f"""<div class="top"><div class="w1200"><span>今天是<script>document.write(new Date().toLocaleDateString());</script></span>
<span class="fr"><a href="javascript:void(0)" onclick="SetHome(this)">设为首页</a> | <a href="javascript:void(0)">加入收藏</a> | <a href="javascript:void(0)" id="wza">无障碍浏览</a></span></div></div>
<div class="header"><div class="w1200"><a href="/" class="logo"><img src="/images/logo.png" alt="{SITE_NAME}" /></a>
<div class="search"><form action="javascript:void(0)" method="get" name="searchform"><input type="text" name="searchword" placeholder="请输入关键字" /><input type="submit" value="搜索" /></form></div></div></div>
<div class="nav"><ul class="w1200"><li class="on"><a href="/">首页</a></li>{nav}</ul></div>
"""

    def _footer(self) -> str:
        return f"""<div class="footer"><div class="w1200">
<div class="links"><span>相关链接：</span><a href="{self.ext_origin}/" target="_blank">中国政府网</a></div>
<p>主办单位：{SITE_NAME}办公室　承办单位：{SITE_NAME}大数据中心　联系电话：0000-12345678</p>
<p>版权所有：{SITE_NAME}　网站标识码：0000000000　备案号：某ICP备00000000号-1　某公网安备 00000000000000号</p>
<p>建议使用1366×768分辨率 IE9及以上版本浏览器浏览本网站</p></div></div>
<script type="text/javascript" src="/js/common.js"></script>
"""

    def _breadcrumb(self, i: int) -> str:
        crumbs, j = [], self.parent(i)
        while j:
            crumbs.append(j)
            j = self.parent(j)
        crumbs = crumbs[::-1][-2:]  # section and direct column, as TRS's <TRS_CHANNEL> path shows
        parts = ['<a href="/">首页</a>'] + [f'<a href="{self.urls[c]}">{self.column_name[c]}</a>' for c in crumbs]
        return '<div class="position">当前位置：' + " &gt; ".join(parts) + "</div>"

    def page_html(self, i: int) -> str:
        rng = random.Random(self.seed * 1_000_003 + i)
        title = self.title[i]
        col = self.section[i]
        colname = SECTIONS[col][1] if i else "首页"
        d = self.date[i]
        meta = (f'<meta name="SiteName" content="{SITE_NAME}" />\n<meta name="SiteDomain" content="{SITE_HOST}" />\n'
                f'<meta name="SiteIDCode" content="0000000000" />\n<meta name="ColumnName" content="{colname}" />\n')
        if self.is_column(i):
            body = self._column_body(i, rng)
        else:
            meta += (f'<meta name="ArticleTitle" content="{title}" />\n<meta name="PubDate" content="{d:%Y-%m-%d} '
                     f'{rng.randrange(8, 18):02d}:{rng.randrange(60):02d}" />\n<meta name="ContentSource" content="{SITE_NAME}办公室" />\n')
            body = self._article_body(i, rng)
        return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<meta http-equiv="X-UA-Compatible" content="IE=edge" />
<title>{title}_{SITE_NAME}</title>
{meta}<link rel="stylesheet" type="text/css" href="/css/common.css" />
<script type="text/javascript" src="/js/jquery.min.js"></script>
</head>
<body>
{self._header(i)}<div class="main w1200">
{body}
</div>
{self._footer()}</body>
</html>
"""

    def _related(self, i: int, rng: random.Random, k: int) -> list[int]:
        return [rng.randrange(1, self.n) for _ in range(k)]

    def _column_body(self, i: int, rng: random.Random) -> str:
        here = self.urls[i].rsplit("/", 1)[0] + "/"
        items = []
        for c in self.children(i):
            url = self.urls[c]
            href = "./" + url[len(here):] if url.startswith(here) else url  # TRS writes ./yyyymm/t…html
            items.append(f'<li><a href="{href}" target="_blank" title="{self.title[c]}">{self.title[c]}</a>'
                         f'<span>{self.date[c]:%Y-%m-%d}</span></li>')
        for r in self._related(i, rng, 2):
            items.append(f'<li class="tj"><a href="{self.urls[r]}" target="_blank">{self.title[r]}</a>'
                         f'<span>{self.date[r]:%Y-%m-%d}</span></li>')
        intro = "".join(f"<p>{self._text(rng, 16)}</p>" for _ in range(5))
        crumb = self._breadcrumb(i) if i else ""
        return f"""{crumb}
<div class="lm-left"><div class="lm-title">{self.column_name[i]}</div>
<div class="lm-intro">{intro}</div>
<ul class="list">
{chr(10).join(items)}
</ul>
<div class="page"><script language="JavaScript">createPageHTML(1, 0, "index", "html");</script></div>
</div>"""

    def _article_body(self, i: int, rng: random.Random) -> str:
        d = self.date[i]
        paragraphs = "\n".join(f'<p style="text-indent:2em;">{self._text(rng, rng.randrange(8, 16))}</p>'
                               for _ in range(rng.randrange(6, 11)))
        stem = f"{d:%Y%m%d}{i:07d}"
        image = f'<p style="text-align:center;"><img src="./W0{stem}.jpg" alt="{self.title[i]}" /></p>'
        attachments = "".join(
            f'<li><a href="./P0{stem}{k}.{ext}" target="_blank">附件{k + 1}：{self.title[i][:12]}.{ext}</a></li>'
            for k, ext in enumerate(rng.sample(ATTACH_TYPES, rng.choice((2, 3))))
        )
        dead = ""
        if rng.random() < 0.02:
            dead = f'<p>原文链接：<a href="/{SECTIONS[self.section[i]][0]}/old/t2014_{i}.html">点击查看</a></p>'
        ext_page = self.urls[rng.randrange(1, min(self.n, 300))]
        related = "".join(f'<li><a href="{self.urls[r]}" target="_blank">{self.title[r]}</a></li>'
                          for r in self._related(i, rng, 5))
        return f"""{self._breadcrumb(i)}
<div class="article">
<h1 class="title">{self.title[i]}</h1>
<div class="info">发布时间：{d:%Y-%m-%d}　来源：{SITE_NAME}办公室　浏览次数：<span id="hits">0</span></div>
<div class="content"><!--<$[信息内容]>begin--><div class="TRS_Editor">
{paragraphs}
{image}
</div><!--<$[信息内容]>end--></div>
<ul class="fujian">{attachments}</ul>
{dead}<p>转载：<a href="{self.ext_origin}{ext_page}" target="_blank">上级部门发布</a></p>
<div class="xglj"><h3>相关链接</h3><ul>{related}</ul></div>
</div>"""

    # ------------------------------------------------------------ files
    def write(self, root: Path) -> dict:
        """Lay the portal out under `root`; returns {"files", "bytes", "page_bytes_min", "page_bytes_max"}."""
        total, lo, hi = 0, 1 << 30, 0
        made: set[str] = set()
        for i in range(self.n):
            rel = self.file_of(i)
            folder = os.path.dirname(rel)
            if folder and folder not in made:
                (root / folder).mkdir(parents=True, exist_ok=True)
                made.add(folder)
            data = self.page_html(i).encode("utf-8")
            (root / rel).write_bytes(data)
            total += len(data)
            lo, hi = min(lo, len(data)), max(hi, len(data))
        for rel, text in STATIC.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(text)
        (root / "images").mkdir(exist_ok=True)
        (root / "images/logo.png").write_bytes(SAMPLES["png"])
        (root / "_files").mkdir(exist_ok=True)
        for ext, data in SAMPLES.items():
            (root / f"_files/sample.{ext}").write_bytes(data)
        return {"files": self.n, "bytes": total, "page_bytes_min": lo, "page_bytes_max": hi,
                "depth": self.depth_max()}
