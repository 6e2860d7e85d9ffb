"""Bootstrap for a fresh machine: creates the virtual environment, installs what is missing, then runs.

    python3 tasks.py run [--demo] [app options]   start the desk app
    python3 tasks.py test [pytest options]        ruff, mypy, import contracts, then the whole pytest suite
    python3 tasks.py screenshots [OUT_DIR]        PNG screenshots of every screen under Xvfb

Only the standard library is used here, because nothing else exists yet when it runs.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
IS_WINDOWS = os.name == "nt"
BIN = VENV / ("Scripts" if IS_WINDOWS else "bin")
PYTHON = BIN / ("python.exe" if IS_WINDOWS else "python")

# Debian/Ubuntu packages Qt needs at run time; the pip wheels bring Qt itself.
QT_RUNTIME_PACKAGES = [
    "libegl1", "libgl1", "libxkbcommon0", "libfontconfig1", "libdbus-1-3", "libglib2.0-0", "fonts-dejavu-core",
]
# The tests render PDFs to text and images to check what a client would read.
TEST_PACKAGES = ["poppler-utils"]
# Extra packages for a real (virtual) X screen: screenshots and the xcb platform plugin.
SCREEN_PACKAGES = [
    "xvfb", "xauth", "libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxcb-shape0", "libxcb-xkb1",
    "libxkbcommon-x11-0", "libxcb-render-util0", "libxcb-image0", "libxcb-randr0",
]


def say(message: str) -> None:
    print(f"[tasks] {message}", flush=True)


def run(command: list[str | Path], **kwargs: object) -> int:
    return subprocess.call([str(part) for part in command], **kwargs)  # type: ignore[call-overload]


def install_system_packages(packages: list[str]) -> None:
    """Install the missing Debian packages when we are root on Debian/Ubuntu; otherwise only advise."""
    if not sys.platform.startswith("linux") or not shutil.which("dpkg-query"):
        return
    missing = []
    for package in packages:
        status = subprocess.run(
            ["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True, check=False
        ).stdout
        if "install ok installed" not in status:
            missing.append(package)
    if not missing:
        return
    if os.geteuid() != 0:
        say("missing system libraries: " + " ".join(missing))
        say("install them with: sudo apt-get install -y " + " ".join(missing))
        return
    say("installing system libraries: " + " ".join(missing))
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    if run(["apt-get", "update", "-qq"], env=env) != 0:
        say("apt-get update failed; trying to install from the cached lists")
    if run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing], env=env) != 0:
        sys.exit("[tasks] could not install system libraries: " + " ".join(missing))


def ensure_venv(extras: str) -> None:
    """Create .venv and install the project (editable) when pyproject.toml changed since the last install."""
    if sys.version_info < (3, 11):  # noqa: UP036 - this file runs on whatever python3 the machine has
        sys.exit("[tasks] Python 3.11 or newer is needed; this is " + sys.version.split()[0])
    if not PYTHON.exists():
        say(f"creating the virtual environment in {VENV}")
        if run([sys.executable, "-m", "venv", VENV]) != 0:
            sys.exit("[tasks] could not create the virtual environment (on Debian: apt-get install python3-venv)")
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    stamp = VENV / f".installed-{extras or 'app'}"
    # The test install includes everything the app needs, so it also satisfies `run`.
    stamps = [stamp] if extras else [stamp, VENV / ".installed-test"]
    if any(path.exists() and path.read_text() == digest for path in stamps):
        return
    say("installing the project and its dependencies (first run takes a few minutes)")
    target = f".[{extras}]" if extras else "."
    pip = [PYTHON, "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    if run([*pip, "--upgrade", "pip"]) != 0 or run([*pip, "-e", target], cwd=ROOT) != 0:
        sys.exit("[tasks] installing the dependencies failed; see the pip output above")
    stamp.write_text(digest)


def start_local_postgresql() -> None:
    """Start a locally installed but stopped PostgreSQL cluster (Debian's pg_ctlcluster), if there is one."""
    if not shutil.which("pg_lsclusters") or not shutil.which("pg_ctlcluster"):
        return
    listing = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True, check=False).stdout
    for line in listing.splitlines():
        fields = line.split()
        if len(fields) >= 4 and fields[3] != "online":
            version, cluster = fields[0], fields[1]
            say(f"starting the local PostgreSQL {version}/{cluster}")
            run(["pg_ctlcluster", "--skip-systemctl-redirect", version, cluster, "start"])
            time.sleep(1)


def command_run(args: list[str]) -> int:
    install_system_packages(QT_RUNTIME_PACKAGES)
    ensure_venv("")
    return run([PYTHON, "-m", "autoservice_desk", "run", *args], cwd=ROOT)


def command_test(args: list[str]) -> int:
    install_system_packages(QT_RUNTIME_PACKAGES + TEST_PACKAGES)
    ensure_venv("test")
    start_local_postgresql()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONDONTWRITEBYTECODE="1")
    steps: list[tuple[str, list[str | Path]]] = [
        ("ruff", [PYTHON, "-m", "ruff", "check", "."]),
        ("mypy", [PYTHON, "-m", "mypy"]),
        ("import contracts", [BIN / ("lint-imports.exe" if IS_WINDOWS else "lint-imports")]),
        ("pytest", [PYTHON, "-m", "pytest", *args]),
    ]
    for name, command in steps:
        say(f"{name} ...")
        code = run(command, cwd=ROOT, env=env)
        if code != 0:
            say(f"{name} failed (exit code {code})")
            return code
    return 0


def command_screenshots(args: list[str]) -> int:
    install_system_packages(QT_RUNTIME_PACKAGES + SCREEN_PACKAGES)
    ensure_venv("")
    out = args[0] if args else str(ROOT / "docs" / "screenshots")
    command: list[str | Path] = [PYTHON, ROOT / "scripts" / "screenshots.py", out]
    if sys.platform.startswith("linux") and shutil.which("xvfb-run"):
        command = ["xvfb-run", "-a", "-s", "-screen 0 1600x1000x24", *command]
    return run(command, cwd=ROOT)


def main() -> int:
    commands = {"run": command_run, "test": command_test, "screenshots": command_screenshots}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print(__doc__)
        return 2
    return commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
