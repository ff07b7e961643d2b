"""marketlib.screenshots: which run and pages it shoots, and that it runs the reports only when none exist."""

from __future__ import annotations

from marketlib import screenshots


def _run(reports, day, names=("a.html", "b.html")):
    folder = reports / day
    folder.mkdir(parents=True)
    for name in names:
        (folder / name).write_text("<h1>x</h1>")
    return folder


def test_the_newest_run_with_pages_and_the_front_page(tmp_path):
    reports = tmp_path / "reports"
    assert screenshots.latest_run(reports) is None
    _run(reports, "2026-11-30")
    newest = _run(reports, "2026-12-01")
    (reports / "2026-12-02").mkdir()  # a run folder without pages is not a run
    (reports / "screens").mkdir()
    assert screenshots.latest_run(reports) == newest
    assert [p.name for p in screenshots.pages(newest)] == ["a.html", "b.html"]
    (newest / "index.html").write_text("<h1>front, the run's copy</h1>")
    (reports / "index.html").write_text("<h1>front</h1>")
    assert screenshots.pages(newest) == [newest / "a.html", newest / "b.html", reports / "index.html"]


def test_main_runs_the_reports_only_when_none_exist(project, monkeypatch):
    calls, shot = [], []

    def fake_run_reports(settings):
        calls.append(settings.reports_dir)
        _run(settings.reports_dir, "2026-12-02")
        return True

    monkeypatch.setattr("marketlib.report.run_reports", fake_run_reports)
    monkeypatch.setattr(screenshots, "take", lambda run_dir: shot.append(run_dir) or [])
    assert screenshots.main([]) == 0
    assert calls == [project.reports_dir] and shot == [project.reports_dir / "2026-12-02"]
    assert screenshots.main([]) == 0  # reports exist now: they are not run again
    assert len(calls) == 1 and len(shot) == 2
