"""The terminal and the log (issue 12): progress lines off a terminal, the end-of-run summary, the
command that resumes an interrupted run, --fail-on for CI, and a log that says why a URL was
flagged. Expectations from the sample portal's DEFECTS.md (two serious wording errors: veto)."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time

from tests.conftest import SITE, inspector, network_args, pages_stored


def test_off_a_terminal_progress_lines_and_a_summary_that_says_what_next(portal, tmp_path):
    db = tmp_path / "run.db"
    profile = tmp_path / "site.toml"
    profile.write_text("[crawl]\nprogress_every = 0.2\n", encoding="utf-8")
    r = inspector("crawl", f"{SITE}/", "--db", db, "--config", profile, *network_args(portal))
    assert r.code == 0, r.err
    lines = [x for x in r.err.splitlines() if x.startswith("进度 ")]
    assert lines, r.err  # cron and systemd see the crawl move
    assert all(re.match(r"进度 已用 \d+:\d\d:\d\d：页面 \d+（待抓取 \d+），已检查链接 \d+", x) for x in lines)
    # the live problem count means what the summary's does: broken and wrong links, suspected included
    problems = int(re.search(r"问题链接 (\d+) 个", r.out).group(1))
    findings = dict(re.findall(r"(broken-link|wrong-link) (\d+)", r.out))
    assert problems == int(findings["broken-link"]) + int(findings["wrong-link"])
    assert f"下一步：inspector report --db {db} -o 报告.html" in r.out
    total = int(re.search(r"findings: (\d+)", r.out).group(1))  # a first night: every finding is new
    assert re.search(r"用时 \d+:\d\d:\d\d；", r.out) and f"新发现 {total} 个，已整改 0 个" in r.out


def test_fail_on_exits_1_only_at_or_above_the_level(portal, tmp_path):
    db = tmp_path / "run.db"
    veto = inspector("crawl", f"{SITE}/", "--db", db, "--fail-on", "veto", *network_args(portal))
    assert veto.code == 1, veto.err  # two serious wording errors: veto findings are open
    # a page whose only findings are suspected (提示): check fails by default, not with --fail-on deduct
    page = f"{SITE}/hdjl/index.html"
    plain = inspector("check", page, *network_args(portal))
    levels = set(re.findall(r"(单项否决风险|扣分|提示)", plain.out.split("\n", 3)[-1]))
    assert plain.code == 1 and levels == {"提示"}, plain.out
    assert inspector("check", page, "--fail-on", "deduct", *network_args(portal)).code == 0
    bad = inspector("check", page, "--fail-on", "fatal", *network_args(portal))
    assert bad.code == 2 and bad.err.count("\n") == 1


def test_the_log_file_says_why_a_url_was_flagged(portal, tmp_path):
    log = tmp_path / "crawl.log"
    r = inspector("crawl", f"{SITE}/", "--db", tmp_path / "run.db", "--log-file", log, *network_args(portal))
    assert r.code == 0, r.err
    text = log.read_text(encoding="utf-8")
    # DEFECTS.md: /zt/2025zt/index.html answers 404
    assert re.search(rf"checked {re.escape(SITE)}/zt/2025zt/index.html: http-error 404", text)
    assert "checked" not in r.err  # the log went to the file, not the terminal


def test_an_interrupted_crawl_says_how_to_resume_it(portal, tmp_path):
    db = tmp_path / "run.db"
    portal.reset()
    args = [sys.executable, "-m", "inspector", "crawl", f"{SITE}/", "--db", str(db), *network_args(portal)]
    args[args.index("--delay") + 1] = "0.2"  # slow enough to be caught mid-crawl
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while pages_stored(db) < 5 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.2)
    assert pages_stored(db) >= 5
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert f"inspector crawl {SITE}/ --db {db} --resume" in err
    resumed = inspector("crawl", f"{SITE}/", "--db", db, "--resume", *network_args(portal))
    assert resumed.code == 0, resumed.err
    # the resumed run counts the whole run's pages, not only this session's (the sample has 119)
    total = int(re.search(r"run \d+ complete: (\d+) pages parsed", resumed.out).group(1))
    uninterrupted = inspector("crawl", f"{SITE}/", "--db", tmp_path / "whole.db", *network_args(portal))
    assert total == int(re.search(r"run \d+ complete: (\d+) pages parsed", uninterrupted.out).group(1))
