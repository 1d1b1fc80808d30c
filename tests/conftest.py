"""Fixtures shared by the book tests: one HTML build of the book from the stored notebook outputs."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from book_layout import ROOT

# OPTBOOK_TEST_BUILD lets two test runs build side by side without sharing a folder.
BUILD_DIR = Path(os.environ.get("OPTBOOK_TEST_BUILD", ROOT / "_build" / "test")).resolve()


@pytest.fixture(scope="session")
def built_book():
    """Build the HTML once per test session, without executing any notebook.

    Returns the build's HTML folder and its log. Sphinx warnings are errors
    (-W); the tests decide what to assert about the result.
    """
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    config["execute"]["execute_notebooks"] = "off"       # render the stored outputs
    config["sphinx"]["local_extensions"] = {
        name: str((ROOT / folder).resolve()) for name, folder in config["sphinx"]["local_extensions"].items()}
    BUILD_DIR.mkdir(parents=True, exist_ok=True)
    config_path = BUILD_DIR / "_config.yml"
    config_path.write_text(yaml.safe_dump(config))
    html = BUILD_DIR / "_build" / "html"
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    result = subprocess.run(
        [str(jupyter_book), "build", str(ROOT), "--path-output", str(BUILD_DIR), "--config",
         str(config_path), "--builder", "html", "--all", "-W", "--keep-going"],
        capture_output=True, text=True, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    return html, result
