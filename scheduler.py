"""Nightly inspections (`inspector schedule`): one cron entry per site, each run in a fresh process.

The Twisted reactor cannot restart, so every inspection is `python -m inspector crawl …` in a
child process. Never two runs of one site at once: APScheduler's max_instances=1 with coalesce
inside one scheduler, and a lock file per site across processes (a cron `--once` next to the
daemon). A run missed while the daemon was down is caught up once at start when its time is
less than `grace` seconds ago; one missed while the machine slept is caught up by APScheduler's
misfire_grace_time. SIGINT/SIGTERM stop the scheduler cleanly: the running children are
terminated and their runs stay incomplete (`inspector crawl --resume` continues them).

A run that crashes, cannot open the start page or outlives its timeout is recorded as failed
with its reason (runs.status = failed, runs.note); the next one runs as usual. After a run the
reports are re-rendered into reports_dir/<site>/ (run-<id>.html/.xlsx, latest.html/.xlsx), a
log line tells the outcome, and, with [smtp] set, an email carries the summary and the workbook.
"""

from __future__ import annotations

import fcntl
import logging
import shutil
import signal
import smtplib
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from zoneinfo import ZoneInfo

from core import config as configuration
from core import store
from core.errors import EXIT_STORE

log = logging.getLogger("inspector.schedule")
EXIT_DB = EXIT_STORE  # inspector crawl: a database cannot be used (for a complete run: PostgreSQL, when publishing)
STOP_GRACE = 15  # seconds a terminated crawl gets to stop before it is killed
XLSX_TYPE = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@dataclass
class Result:
    site: str
    status: str  # complete | failed | skipped | stopped
    run: int | None = None
    reason: str = ""
    summary: str = ""


def crawl_command(site: dict, db: str) -> list[str]:
    cmd = [sys.executable, "-m", "inspector", "crawl", site["url"], "--db", db]
    cmd += ["--config", site["profile"]] if site["profile"] else []
    for route in site["connect_to"]:
        cmd += ["--connect-to", route]
    for route in site["resolve"]:
        cmd += ["--resolve", route]
    cmd += ["--offline"] if site["offline"] else []
    return cmd + (["--as-of", site["as_of"]] if site["as_of"] else [])


def catch_up_due(hhmm: str, tz: str, grace: float, last_started: datetime | None, now: datetime) -> bool:
    """True when today's (or yesterday's) time `hhmm` has passed less than `grace` seconds ago
    and no run has started since: the daemon was down when the run was due."""
    hour, minute = map(int, hhmm.split(":"))
    local = now.astimezone(ZoneInfo(tz))
    due = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if due > local:
        due -= timedelta(days=1)
    return local - due <= timedelta(seconds=grace) and (last_started is None or last_started < due)


class Scheduler:
    def __init__(self, plan: configuration.Schedule):
        self.plan, self.conf = plan, plan.schedule
        self.children: dict[str, subprocess.Popen] = {}
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.reports = Path(self.conf["reports_dir"])

    # ------------------------------------------------------------ one run
    def run_site(self, site: dict) -> Result:
        """Inspect one site in a child process (unless it is already being inspected)."""
        if self.stopping.is_set():
            return Result(site["name"], "stopped", reason="shutting down")
        folder = self.reports / site["slug"]
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / ".lock", "w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                log.info("%s: skipped: the previous run is still going", site["name"])
                return Result(site["name"], "skipped", reason="the previous run is still going")
            try:
                result = self._run(site, folder)
            except Exception as exc:  # a scheduler must outlive a bad night: log it, try tomorrow
                log.exception("%s: run failed: %s", site["name"], exc)
                result = Result(site["name"], "failed", reason=f"{type(exc).__name__}: {exc}")
        if self.plan.smtp and result.status in ("complete", "failed"):
            self.notify(site, result, folder)
        return result

    def _run(self, site: dict, folder: Path) -> Result:
        db = store.open_db(self.conf["db"])
        before = db.execute("SELECT coalesce(max(id), 0) FROM runs").fetchone()[0]
        t0 = time.monotonic()
        proc = subprocess.Popen(crawl_command(site, self.conf["db"]), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, start_new_session=True)  # a terminal's Ctrl-C is ours to pass on
        with self.lock:
            self.children[site["name"]] = proc
        log.info("%s: run started (pid %d): %s", site["name"], proc.pid, site["url"])
        timed_out = False
        try:
            _, err = proc.communicate(timeout=site["timeout"])
        except subprocess.TimeoutExpired:
            timed_out = True
            threading.Thread(target=halt, args=(proc,), daemon=True).start()
            _, err = proc.communicate()
        finally:
            with self.lock:
                self.children.pop(site["name"], None)
        seconds = time.monotonic() - t0
        row = db.execute("SELECT id FROM runs WHERE id > ? AND start_url = ? ORDER BY id DESC LIMIT 1",
                         [before, site["url"]]).fetchone()
        run_id = row[0] if row else None
        if self.stopping.is_set() and proc.returncode != 0:
            log.info("%s: stopped by shutdown after %.0f s; run %s stays incomplete (crawl --resume continues it)",
                     site["name"], seconds, run_id)
            return Result(site["name"], "stopped", run_id)
        lines = [line for line in (err or "").splitlines() if line.strip()]
        unpublished = (proc.returncode == EXIT_DB and not timed_out and run_id is not None
                       and store.get_run(db, run_id)["status"] == "complete")  # only PostgreSQL did not take it
        if (proc.returncode == 0 and not timed_out) or unpublished:
            summary = self.render(db, store.get_run(db, run_id), folder)
            if unpublished:
                log.warning("%s: run %d complete in %.0f s: %s; %s", site["name"], run_id, seconds, summary,
                            lines[-1].removeprefix("inspector: error: ") if lines else "not published")
            else:
                log.info("%s: run %d complete in %.0f s: %s", site["name"], run_id, seconds, summary)
            return Result(site["name"], "complete", run_id, summary=summary)
        reason = (f"timeout after {site['timeout']} s" if timed_out
                  else lines[-1].removeprefix("inspector: error: ") if lines else f"crawl exited with {proc.returncode}")
        if run_id is None:
            run_id = store.start_run(db, site=site["url"], start_url=site["url"],
                                     as_of=site["as_of"] or datetime.now().date().isoformat(),
                                     settings={"schedule": site["name"]})
            store.finish_run(db, run_id, status="failed", note=reason)
        else:
            store.set_run(db, run_id, status="failed", note=reason, finished=store.now())
        log.warning("%s: run %d failed after %.0f s: %s", site["name"], run_id, seconds, reason)
        return Result(site["name"], "failed", run_id, reason)

    def render(self, db, run: dict, folder: Path) -> str:
        """Write run-<id>.html/.xlsx and copy them to latest.*; returns the run's one-line summary."""
        from reports import REPORTS
        from reports.model import build

        report = build(db, run)
        for fmt in ("html", "xlsx"):
            path = folder / f"run-{run['id']}.{fmt}"
            REPORTS[fmt](report, path)
            shutil.copyfile(path, folder / f"latest.{fmt}.tmp")
            (folder / f"latest.{fmt}.tmp").replace(folder / f"latest.{fmt}")  # readers never see half a file
        status = report["counts"]["status"]
        n = lambda key: status.get(key, {}).get("n", 0)  # noqa: E731
        return (f"{run['counts'].get('pages', 0)} pages, {report['counts']['todo']} to fix ({n('new')} new, "
                f"{n('reopened')} reopened), {n('fixed')} fixed, {n('waived')} waived")

    def notify(self, site: dict, result: Result, folder: Path) -> None:
        """Email the outcome (and the workbook) through [smtp]; a mail failure is only logged."""
        smtp = self.plan.smtp
        msg = EmailMessage()
        msg["From"], msg["To"] = smtp["from"], ", ".join(smtp["to"])
        if result.status == "complete":
            msg["Subject"] = f"[网站检查] {site['name']} 第{result.run}次检查完成"
            msg.set_content(f"{site['name']} ({site['url']})\n第{result.run}次检查完成：{result.summary}\n"
                            f"整改清单见附件；网页报告：{folder / f'run-{result.run}.html'}\n")
            workbook = folder / f"run-{result.run}.xlsx"
            msg.add_attachment(workbook.read_bytes(), maintype=XLSX_TYPE[0], subtype=XLSX_TYPE[1],
                               filename=f"整改清单-{site['slug']}-{result.run}.xlsx")
        else:
            msg["Subject"] = f"[网站检查] {site['name']} 检查失败"
            msg.set_content(f"{site['name']} ({site['url']})\n第{result.run}次检查失败：{result.reason}\n")
        try:
            with smtplib.SMTP(smtp["host"], smtp["port"], timeout=30) as server:
                if smtp["starttls"]:
                    server.starttls()
                server.send_message(msg)
            log.info("%s: report mailed to %s", site["name"], ", ".join(smtp["to"]))
        except (OSError, smtplib.SMTPException) as exc:
            log.warning("%s: could not mail the report: %s", site["name"], exc)

    # ------------------------------------------------------------ running
    def once(self) -> list[Result]:
        """Inspect every site now, one after another."""
        self._signals(lambda: None)
        return [self.run_site(site) for site in self.plan.sites if not self.stopping.is_set()]

    def serve(self, every: float | None = None) -> None:
        """Run in the foreground until SIGINT/SIGTERM."""
        from apscheduler.events import EVENT_JOB_MAX_INSTANCES, EVENT_JOB_MISSED
        from apscheduler.executors.pool import ThreadPoolExecutor
        from apscheduler.schedulers.blocking import BlockingScheduler
        from apscheduler.triggers.cron import CronTrigger
        from apscheduler.triggers.interval import IntervalTrigger

        tz, every = self.conf["timezone"], every or self.conf["every"]
        sched = BlockingScheduler(timezone=ZoneInfo(tz), executors={"default": ThreadPoolExecutor(max(2, len(self.plan.sites)))},
                                  job_defaults={"coalesce": True, "max_instances": 1,
                                                "misfire_grace_time": max(1, self.conf["grace"])})
        db = store.open_db(self.conf["db"])
        for site in self.plan.sites:
            hour, minute = site["time"].split(":")
            trigger = IntervalTrigger(seconds=every) if every else CronTrigger(hour=hour, minute=minute, timezone=tz)
            sched.add_job(self.run_site, trigger, args=[site], id=site["slug"], name=site["name"])
            last = db.execute("SELECT started FROM runs WHERE start_url = ? ORDER BY id DESC LIMIT 1", [site["url"]]).fetchone()
            started = datetime.fromisoformat(last[0]) if last and last[0] else None
            if not every and catch_up_due(site["time"], tz, self.conf["grace"], started, datetime.now().astimezone()):
                log.info("%s: the %s run was missed while the scheduler was down: running it now", site["name"], site["time"])
                sched.add_job(self.run_site, "date", args=[site], id=f"{site['slug']}-catch-up", name=site["name"])
            log.info("%s: scheduled %s", site["name"], f"every {every:g} s" if every else f"daily at {site['time']} {tz}")

        def missed(event):
            job = sched.get_job(event.job_id)
            name = job.name if job else event.job_id
            why = "the previous run is still going" if event.code == EVENT_JOB_MAX_INSTANCES else "missed its time"
            log.info("%s: skipped: %s", name, why)

        sched.add_listener(missed, EVENT_JOB_MAX_INSTANCES | EVENT_JOB_MISSED)
        logging.getLogger("apscheduler").setLevel(logging.ERROR)  # our own lines say what happened
        self._signals(lambda: threading.Thread(target=sched.shutdown, kwargs={"wait": False}).start())
        sched.start()
        log.info("scheduler stopped")

    def _signals(self, shutdown) -> None:
        def handler(signum, frame):
            log.info("%s: stopping; running inspections are terminated and stay incomplete",
                     signal.Signals(signum).name)
            self.stopping.set()
            with self.lock:
                for proc in self.children.values():
                    threading.Thread(target=halt, args=(proc,), daemon=True).start()
            shutdown()

        signal.signal(signal.SIGTERM, handler)
        signal.signal(signal.SIGINT, handler)


def halt(proc: subprocess.Popen) -> None:
    """Stop a crawl: SIGTERM (Scrapy stops, the run is kept), again if it still waits on slow
    downloads (Scrapy then stops at once), SIGKILL as the last resort. Only signals: the thread
    that started the crawl keeps reading its output."""
    for sig, wait in ((signal.SIGTERM, 3), (signal.SIGTERM, STOP_GRACE), (signal.SIGKILL, 0)):
        if proc.poll() is not None:
            return
        proc.send_signal(sig)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.1)


def setup_logging() -> None:
    if not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
