"""The scheduler: runs in fresh processes, overlapping runs skipped, failures recorded with their
reason, reports re-rendered, SIGTERM stops cleanly, and the summary mailed to a loopback SMTP server."""

import email
import io
import os
import re
import signal
import socket
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from email import policy
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from reports.xlsx import HEAD_ROW
from scheduler import catch_up_due
from tests.conftest import SITE, inspector, need_module, rows
from tests.monitoring.conftest import export

PAGE = '<html><head><title>{0}</title></head><body><a href="/sched/slow.html">慢</a><a href="/sched/gone.html">{0}</a></body></html>'


def slow(handler):
    handler.portal._stopping.wait(2)  # a run that outlives the 1 s interval
    handler.reply(200, "<html><head><title>慢页面</title></head><body>慢</body></html>")


@pytest.fixture
def tiny_site(portal):
    """Two small pages on the sample portal: a run takes a few seconds, not a full crawl."""
    portal.overrides.update({"/sched/index.html": (200, PAGE.format("排班")), "/sched/slow.html": slow})
    yield f"{SITE}/sched/index.html"
    portal.overrides.clear()


def workbook_lists(workbook, start_url, run_id) -> set:
    """The 问题链接 a 整改清单 lists on its sheets after 汇总, once 汇总 names the site and run."""
    summary = {row[0].value: row[1].value for row in workbook["汇总"].iter_rows() if row[0].value}
    assert (summary["检查地址"], summary["检查编号"]) == (start_url, run_id)
    listed = set()
    for sheet in workbook.worksheets[1:]:
        column = [c.value for c in sheet[HEAD_ROW]].index("问题链接")
        listed |= {row[column].value for row in sheet.iter_rows(min_row=HEAD_ROW + 1)}
    return listed


def schedule_file(tmp_path, portal, sites, extra=""):
    (tmp_path / "fast.toml").write_text("[crawl]\ndelay = 0\ntimeout = 5\n", encoding="utf-8")
    text = f'[schedule]\ndb = "runs.db"\nreports_dir = "reports"\ntimeout = 60\n{extra}\n'
    for name, url, more in sites:
        text += (f'[[site]]\nname = "{name}"\nurl = "{url}"\nprofile = "fast.toml"\noffline = true\n'
                 f'as_of = "2026-11-20"\nconnect_to = {portal.connect_to()!r}\n{more}\n')
    path = tmp_path / "schedule.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_once_runs_each_site_in_a_process_and_records_failures(tmp_path, portal, tiny_site):
    plan = schedule_file(tmp_path, portal, [("qinghe", tiny_site, ""), ("closed", "http://www.closed-demo.cn/", ""),
                                            ("hang", f"{SITE}/hang.html", "timeout = 2")])
    r = inspector("schedule", "--config", plan, "--once", timeout=120)
    assert r.code == 5, r.err  # a run failed
    runs = {x["start_url"]: x for x in rows(tmp_path / "runs.db", "SELECT * FROM runs")}
    assert runs[tiny_site]["status"] == "complete"
    closed = runs["http://www.closed-demo.cn/"]
    assert closed["status"] == "failed" and "could not be opened: connection refused" in closed["note"]
    assert (runs[f"{SITE}/hang.html"]["status"], runs[f"{SITE}/hang.html"]["note"]) == ("failed", "timeout after 2 s")
    folder = tmp_path / "reports" / "qinghe"
    run_id = runs[tiny_site]["id"]
    found = export(tmp_path / "runs.db", str(run_id))
    assert f"{SITE}/sched/gone.html" in {f["url"] for f in found}  # the tiny site's broken link
    for name in (f"run-{run_id}.xlsx", "latest.xlsx"):  # the run's 整改清单, and the copy readers open
        assert workbook_lists(openpyxl.load_workbook(folder / name), tiny_site, run_id) == {f["url"] for f in found}
    for name in (f"run-{run_id}.html", "latest.html"):
        html = (folder / name).read_text(encoding="utf-8")
        assert set(re.findall(r'<tr class="finding"[^>]*data-fp="(\w+)"', html)) == {f["fingerprint"] for f in found}
    assert re.search(rf"qinghe: run {run_id} complete in \d+ s: 2 pages, \d+ to fix", r.err)
    assert "closed: run" in r.err and "failed" in r.err and "Traceback" not in r.err
    r = inspector("schedule", "--config", plan, "--once", timeout=120)  # the next night runs normally
    assert rows(tmp_path / "runs.db", "SELECT status FROM runs WHERE start_url = ? ORDER BY id", [tiny_site]) == [
        {"status": "complete"}, {"status": "complete"}]


def test_a_run_postgresql_did_not_take_stays_complete(tmp_path, portal, tiny_site):
    plan = schedule_file(tmp_path, portal, [("qinghe", tiny_site, "")])
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    (tmp_path / "fast.toml").write_text(f'[crawl]\ndelay = 0\ntimeout = 5\n[store]\npostgres = '
                                        f'"postgresql://inspector:s3cret-pw@127.0.0.1:{port}/province"\n', encoding="utf-8")
    r = inspector("schedule", "--config", plan, "--once", timeout=120)
    assert r.code == 0, r.err
    assert rows(tmp_path / "runs.db", "SELECT status FROM runs") == [{"status": "complete"}]
    assert re.search(r"qinghe: run 1 complete in \d+ s: .*PostgreSQL 127.0.0.1:\d+/province cannot be used.*"
                     r"'inspector publish 1 --db .*runs.db' retries", r.err)
    assert "s3cret-pw" not in r.err and (tmp_path / "reports" / "qinghe" / "latest.html").exists()


def test_interval_runs_never_overlap_and_sigterm_stops_cleanly(tmp_path, portal, tiny_site):
    plan = schedule_file(tmp_path, portal, [("qinghe", tiny_site, "")])
    portal.reset()
    proc = subprocess.Popen([sys.executable, "-m", "inspector", "schedule", "--config", str(plan), "--every", "1"],
                            stderr=subprocess.PIPE, text=True)
    db = tmp_path / "runs.db"
    deadline = time.time() + 40
    while time.time() < deadline:  # a completed run, and a second one under way: waiting for its slow page
        time.sleep(0.3)
        slow_asked = [path for _, _, path in portal.requests].count("/sched/slow.html")
        if slow_asked >= 2 and rows(db, "SELECT status FROM runs WHERE id = 1") == [{"status": "complete"}]:
            break
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert slow_asked >= 2, "no second run got under way"
    assert proc.returncode == 0, err
    assert "skipped: the previous run is still going" in err and "scheduler stopped" in err
    runs = rows(db, "SELECT id, status, started, finished FROM runs ORDER BY id")
    assert runs[0]["status"] == "complete" and "failed" not in {r["status"] for r in runs}
    for a, b in zip(runs, runs[1:]):
        assert a["finished"] <= b["started"]  # one run of a site at a time
    for pid in map(int, re.findall(r"run started \(pid (\d+)\)", err)):
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)  # no crawl left behind


def test_a_missed_run_is_caught_up_once_within_the_grace_period():
    now = datetime(2026, 11, 20, 19, 0, tzinfo=timezone.utc)  # 03:00 in Shanghai
    due = datetime(2026, 11, 20, 18, 30, tzinfo=timezone.utc)  # 02:30 in Shanghai
    assert catch_up_due("02:30", "Asia/Shanghai", 3600, None, now)
    assert catch_up_due("02:30", "Asia/Shanghai", 3600, due.replace(day=19), now)
    assert not catch_up_due("02:30", "Asia/Shanghai", 3600, due.replace(minute=31), now)  # it ran
    assert not catch_up_due("02:30", "Asia/Shanghai", 600, None, now)  # too late: wait for tomorrow
    assert not catch_up_due("03:30", "Asia/Shanghai", 3600, None, now)  # yesterday's is a day old


@pytest.mark.parametrize("text, message", [
    ('[schedule]\ntime = "2:3x"\n[[site]]\nurl = "http://a.gov.cn/"\ntime = "25:00"\n', "must be HH:MM"),
    ('[schedule]\ntimezone = "Mars/Olympus"\n[[site]]\nurl = "http://a.gov.cn/"\n', "is not a time zone"),
    ('[schedule]\ntimout = 3\n', "unknown key schedule.timout"),
    ('[schedule]\n', "no sites"),
    ('[[site]]\nurl = "a.gov.cn"\n', "malformed URL"),
    ('[[site]]\nurl = "http://a.gov.cn/"\nprofile = "missing.toml"\n', "cannot read"),
    ('[[site]]\nurl = "http://a.gov.cn/"\n[smtp]\nhost = "127.0.0.1"\n', "[smtp] needs"),
])
def test_bad_schedule_files_get_one_line(tmp_path, text, message):
    path = tmp_path / "schedule.toml"
    path.write_text(text, encoding="utf-8")
    r = inspector("schedule", "--config", path, "--once")
    assert r.code == 2 and message in r.err and "Traceback" not in r.err and len(r.err.splitlines()) == 1


def test_the_summary_and_workbook_are_mailed(tmp_path, portal, tiny_site):
    controller = need_module("aiosmtpd.controller", "aiosmtpd (pip install -e '.[test]')")

    class Inbox:
        def __init__(self):
            self.mail = []

        async def handle_DATA(self, server, session, envelope):
            self.mail.append((envelope.rcpt_tos, envelope.content))
            return "250 OK"

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    inbox = Inbox()
    smtp = controller.Controller(inbox, hostname="127.0.0.1", port=port)
    smtp.start()
    try:
        plan = schedule_file(tmp_path, portal, [("qinghe", tiny_site, "")],
                             f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nfrom = "inspector@qinghe.gov.cn"\n'
                             f'to = ["web@qinghe.gov.cn"]\n')
        r = inspector("schedule", "--config", plan, "--once", timeout=120)
    finally:
        smtp.stop()
    assert r.code == 0, r.err
    assert "report mailed to web@qinghe.gov.cn" in r.err
    [(to, raw)] = inbox.mail
    msg = email.message_from_bytes(raw, policy=policy.default)
    assert to == ["web@qinghe.gov.cn"] and "第1次检查完成" in msg["Subject"]
    assert "to fix" in msg.get_body().get_content()
    [attachment] = list(msg.iter_attachments())
    assert attachment.get_filename() == "整改清单-qinghe-1.xlsx"
    workbook = openpyxl.load_workbook(io.BytesIO(attachment.get_content()))
    assert workbook_lists(workbook, tiny_site, 1) == {f["url"] for f in export(tmp_path / "runs.db", "1")}


def test_a_run_missed_while_down_is_caught_up_at_start(tmp_path, portal, tiny_site):
    missed = datetime.now(ZoneInfo("Asia/Shanghai")) - timedelta(minutes=2)
    plan = schedule_file(tmp_path, portal, [("qinghe", tiny_site, "")], f'time = "{missed:%H:%M}"')
    proc = subprocess.Popen([sys.executable, "-m", "inspector", "schedule", "--config", str(plan)],
                            stderr=subprocess.PIPE, text=True)
    latest = tmp_path / "reports" / "qinghe" / "latest.html"  # written once the crawl process has ended
    deadline = time.time() + 30
    while time.time() < deadline and not latest.exists():
        time.sleep(0.3)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert f"the {missed:%H:%M} run was missed while the scheduler was down" in err
    assert f"daily at {missed:%H:%M} Asia/Shanghai" in err and "run 1 complete" in err


def test_the_example_schedule_file_loads():
    from pathlib import Path

    from inspector.profile import load_schedule

    plan = load_schedule(Path(__file__).resolve().parents[2] / "docs" / "schedule.example.toml")
    assert [s["name"] for s in plan.sites] == ["xinbei", "zhenjiang"] and plan.sites[1]["time"] == "03:15"
    assert plan.schedule["timezone"] == "Asia/Shanghai" and plan.smtp is None
