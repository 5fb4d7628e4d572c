"""A contact sheet: many screenshots on one PNG, drawn by headless Chromium (no imaging library needed)."""

from __future__ import annotations

import base64
import math
from html import escape
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
COLUMNS, THUMB_WIDTH = 4, 480


def contact_sheet(images: list[Path], out: Path) -> Path:
    """Lay `images` out in a grid of 480 px thumbnails, each captioned with its file name; save to `out`."""
    cells = "".join(
        f'<figure><img src="data:image/png;base64,{base64.b64encode(p.read_bytes()).decode()}">'
        f"<figcaption>{escape(p.stem)}</figcaption></figure>"
        for p in images
    )
    page = out.with_suffix(".html")
    page.write_text(
        "<html><body style='margin:0;background:#222;color:#eee;font:14px sans-serif'>"
        f"<div style='display:grid;grid-template-columns:repeat({COLUMNS},{THUMB_WIDTH}px);"
        "gap:8px;padding:8px'>"
        f"{cells}</div><style>figure{{margin:0}}img{{width:{THUMB_WIDTH}px;display:block}}</style></body></html>"
    )
    rows = max(1, math.ceil(len(images) / COLUMNS))
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--hide-scrollbars"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {
                "width": COLUMNS * (THUMB_WIDTH + 8) + 8,
                "height": rows * (THUMB_WIDTH * 9 // 16 + 34) + 16,
                "deviceScaleFactor": 1,
                "mobile": False,
            },
        )
        driver.get(page.resolve().as_uri())
        driver.save_screenshot(str(out))
    finally:
        driver.quit()
    page.unlink()
    return out
