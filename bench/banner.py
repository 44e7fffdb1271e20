"""Banner benchmark: our banner against vanilla-cookieconsent, in the same run.

Both are measured the same way, in Debian's Chromium: a fresh browser context for every
load (empty cache), an init script that records performance.now() (ms since navigation
start) at the first animation frame where the banner's root has a box and passes
checkVisibility(), 1 warm-up load each, then N loads each, interleaved. Host pages are
served by one static server on 127.0.0.1; our service runs under gunicorn on localhost
(another origin, as on a real site). vanilla-cookieconsent is installed from npm into a
temporary folder by this script and runs with hideFromBots:false (its default hides the
banner from automated browsers).

    .venv/bin/python bench/banner.py [--loads 20]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from ingest import free_port, start_gunicorn  # noqa: E402

from e2e.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

# Records when the root first has a box and is visible; polls every animation frame
# (our UI lives in a shadow root, which a document MutationObserver cannot see).
PROBE = """
(() => {
  const find = %s;
  const tick = () => {
    const el = find();
    if (el && el.getClientRects().length && el.checkVisibility({visibilityProperty: true})) {
      window.__bannerVisibleAt = performance.now();
      return;
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();
"""
OURS_ROOT = (
    "() => { const h = document.querySelector('[data-samtykke]');"
    " return h && h.shadowRoot && h.shadowRoot.querySelector('.bar'); }"
)
VANILLA_ROOT = "() => document.querySelector('#cc-main .cm')"

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Shop</title>
{head}</head><body><h1>Nordlys Programvare</h1>
<p>Route planning for Nordic logistics.</p>{body}</body></html>"""

VANILLA_BODY = """<script src="vanilla/cookieconsent.umd.js"></script>
<script>
CookieConsent.run({
  hideFromBots: false,
  categories: {necessary: {enabled: true, readOnly: true}, ads: {}},
  language: {default: 'en', translations: {en: {
    consentModal: {
      title: 'We use cookies',
      description: 'Necessary cookies make this site work; with your consent we also use '
        + 'advertising cookies.',
      acceptAllBtn: 'Accept all', acceptNecessaryBtn: 'Reject all',
      showPreferencesBtn: 'Customize'},
    preferencesModal: {
      title: 'Cookie settings', acceptAllBtn: 'Accept all',
      acceptNecessaryBtn: 'Reject all', savePreferencesBtn: 'Save choices',
      sections: [{title: 'Advertising', description: 'Ads.', linkedCategory: 'ads'}]}
  }}}
});
</script>"""


def gz(data: bytes) -> int:
    return len(gzip.compress(data, 9))


def install_vanilla(folder: Path) -> Path:
    subprocess.run(
        [
            "npm",
            "install",
            "--no-audit",
            "--no-fund",
            "--loglevel=error",
            "--prefix",
            str(folder),
            "vanilla-cookieconsent@3",
        ],
        check=True,
    )
    dist = folder / "node_modules" / "vanilla-cookieconsent" / "dist"
    version = json.loads((dist.parent / "package.json").read_text())["version"]
    print(f"vanilla-cookieconsent {version} installed from npm")
    return dist


def prepare_service(database: Path, host_origin: str) -> None:
    from flask_migrate import upgrade

    from consent_app import create_app
    from consent_app.demo.seed import seed_demo
    from consent_app.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}"})
    with app.app_context():
        upgrade()
        seed_demo([host_origin])
        db.session.remove()
        db.engine.dispose()


def measure(browser, url: str, root: str) -> float:
    context = browser.new_context()
    context.add_init_script(PROBE % root)
    page = context.new_page()
    page.goto(url)
    page.wait_for_function("() => window.__bannerVisibleAt !== undefined", timeout=10000)
    visible_at = page.evaluate("() => window.__bannerVisibleAt")
    context.close()
    return float(visible_at)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--loads", type=int, default=20)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        vanilla_dist = install_vanilla(tmp_path / "npm")
        site = tmp_path / "site"
        (site / "vanilla").mkdir(parents=True)
        for name in ("cookieconsent.umd.js", "cookieconsent.css"):
            (site / "vanilla" / name).write_bytes((vanilla_dist / name).read_bytes())

        host_port, service_port = free_port(), free_port()
        host = f"http://127.0.0.1:{host_port}"
        service = f"http://localhost:{service_port}"
        prepare_service(tmp_path / "consent.db", host)
        (site / "ours.html").write_text(
            PAGE.format(head=f'<script src="{service}/c/demo.js"></script>', body="")
        )
        (site / "vanilla.html").write_text(
            PAGE.format(
                head='<link rel="stylesheet" href="vanilla/cookieconsent.css">', body=VANILLA_BODY
            )
        )

        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'consent.db'}",
            "SECRET_KEY": secrets.token_hex(32),
            "RECEIPT_SIGNING_KEY": secrets.token_hex(32),
        }
        service_process = start_gunicorn("consent_app:create_app()", service_port, env)
        host_process = subprocess.Popen(
            [sys.executable, "-m", "http.server", str(host_port), "--bind", "127.0.0.1"],
            cwd=site,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(0.5)
        try:
            ours_bytes = [
                urllib.request.urlopen(f"{service}/c/demo.js").read(),
                urllib.request.urlopen(f"{service}/c/demo/ui.js?lang=en").read(),
            ]
            vanilla_bytes = [
                (site / "vanilla" / n).read_bytes()
                for n in ("cookieconsent.umd.js", "cookieconsent.css")
            ]
            times: dict[str, list[float]] = {"ours": [], "vanilla": []}
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                targets = {
                    "ours": (f"{host}/ours.html", OURS_ROOT),
                    "vanilla": (f"{host}/vanilla.html", VANILLA_ROOT),
                }
                for url, root in targets.values():  # warm-up, thrown away
                    measure(browser, url, root)
                for _ in range(args.loads):
                    for name, (url, root) in targets.items():
                        times[name].append(measure(browser, url, root))
                browser.close()
        finally:
            for process in (service_process, host_process):
                process.send_signal(signal.SIGTERM)
                process.wait(timeout=10)

    ours_gz, vanilla_gz = sum(map(gz, ours_bytes)), sum(map(gz, vanilla_bytes))
    ours_ms, vanilla_ms = statistics.median(times["ours"]), statistics.median(times["vanilla"])
    print(
        f"time to banner visible, median of {args.loads} fresh-context loads (ms since "
        "navigation start)"
    )
    for name in ("ours", "vanilla"):
        values = times[name]
        print(
            f"  {name:<8} median {statistics.median(values):7.1f}   "
            f"min {min(values):7.1f}   max {max(values):7.1f}"
        )
    print(f"  ratio ours/vanilla time: {ours_ms / vanilla_ms:.2f}   (goal <= 1.0: not slower)")
    print("bytes a first visit downloads, gzip -9")
    print(
        f"  ours     {ours_gz:6d}  (core {gz(ours_bytes[0])} + UI {gz(ours_bytes[1])}; "
        f"a returning visitor: core only)"
    )
    print(f"  vanilla  {vanilla_gz:6d}  (js {gz(vanilla_bytes[0])} + css {gz(vanilla_bytes[1])})")
    print(f"  ratio ours/vanilla size: {ours_gz / vanilla_gz:.2f}   (goal < 1.0: smaller)")


if __name__ == "__main__":
    main()
