"""docs/tour.md shows the layer order exactly as tools/check-layers has it."""
import os
import re
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TABLE = re.compile(r"<!-- layers-table: tools/check-layers --table -->\n(.*?)<!-- end layers-table -->", re.S)


def test_the_tour_shows_the_order_the_layering_check_enforces():
    with open(os.path.join(ROOT, "docs", "tour.md"), encoding="utf-8") as tour:
        shown = TABLE.search(tour.read())
    assert shown, "docs/tour.md has no layers-table block"
    printed = subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "tools", "check-layers"), "--table"],
                             capture_output=True, text=True, check=True).stdout
    assert shown.group(1) == printed, "docs/tour.md's table is stale: paste tools/check-layers --table"
