"""Writes docs/report-example.png: the top of the worked example's `annotator report`, as
headless Chromium draws it (the README shows it).

    python examples/make_report_screenshot.py   # from the repository folder

Builds the worked example's database in a temporary folder (the demo corpus and
examples/demo-annotations.jsonl), writes the report there and opens it offline in
Debian's Chromium (/usr/bin/chromium) through Playwright (`pip install -e '.[test]'`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
OUT = REPO / "docs" / "report-example.png"


def main() -> None:
    from playwright.sync_api import sync_playwright

    annotator = [sys.executable, "-m", "annotator.cli"]
    with tempfile.TemporaryDirectory() as folder:
        shutil.copytree(REPO / "corpus", Path(folder) / "corpus")
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        for args in (["import", "corpus"], ["import-annotations", str(REPO / "examples" / "demo-annotations.jsonl")],
                     ["report", "--out", "report.html"]):
            subprocess.run([*annotator, *args], cwd=folder, env=env, check=True, stdout=subprocess.DEVNULL)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            page = browser.new_context(offline=True, viewport={"width": 1150, "height": 1450},
                                       device_scale_factor=1).new_page()
            page.goto((Path(folder) / "report.html").as_uri())
            OUT.parent.mkdir(exist_ok=True)
            page.screenshot(path=str(OUT))
            browser.close()
    print(f"wrote {OUT.relative_to(REPO)}")


if __name__ == "__main__":
    main()
