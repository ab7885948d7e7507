"""Every chapter's hidden first cells install mnist37 where it is missing (as on Colab), and do nothing where it is there.

The check runs offline: it builds this checkout's wheel, makes a fresh virtual environment with nothing in it, and runs
the cells' code there with pip pointed at the wheel alone (`MNIST37_INSTALL=mnist37`, no index, no dependencies: the
point is the cells' logic, not installing torch). Run it with `pytest tests/test_install.py` (about 30 s).
"""
import json, os, subprocess, sys, venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT/'nbs').glob('[0-9]*.ipynb'))


def install_cells(fn):
    "The sources of the two hidden cells that import the tools and install mnist37, from notebook `fn`"
    cells = [''.join(c['source']) for c in json.loads(fn.read_text(encoding='utf-8'))['cells'] if c['cell_type'] == 'code']
    return cells[:2]


def test_every_chapter_has_the_same_install_cells():
    first = install_cells(CHAPTERS[0])
    assert 'find_spec' in first[1] and first[0].startswith('#| hide')
    for fn in CHAPTERS: assert install_cells(fn) == first, f"{fn.name}: its first two code cells are not the install cells"


@pytest.fixture(scope='module')
def fresh(tmp_path_factory):
    "A fresh virtual environment without mnist37, and a folder holding only this checkout's wheel"
    tmp = tmp_path_factory.mktemp('install')
    wheels = tmp/'wheels'
    subprocess.run([sys.executable, '-m', 'pip', 'wheel', '-q', '--no-deps', '-w', str(wheels), str(ROOT)], check=True)
    venv.create(tmp/'venv', with_pip=True)
    return tmp/'venv'/'bin'/'python', wheels, tmp


def run_cells(python, env):
    code = '\n'.join(l for c in install_cells(CHAPTERS[0]) for l in c.splitlines() if not l.startswith('#|'))
    return subprocess.run([str(python), '-c', code], env={**os.environ, **env}, capture_output=True, text=True,
                          cwd=python.parents[2])   # not the checkout, whose mnist37/ folder would import


def has_mnist37(python):
    return subprocess.run([str(python), '-c', "import importlib.util as u; print(u.find_spec('mnist37') is not None)"],
                          capture_output=True, text=True, cwd=python.parents[2]).stdout.strip() == 'True'


def test_install_cells_install_where_missing_and_then_do_nothing(fresh):
    python, wheels, tmp = fresh
    offline = dict(PIP_NO_INDEX='1', PIP_NO_DEPS='1', PIP_DISABLE_PIP_VERSION_CHECK='1', MNIST37_INSTALL='mnist37')
    assert not has_mnist37(python)
    r = run_cells(python, {**offline, 'PIP_FIND_LINKS': str(wheels)})
    assert r.returncode == 0, r.stderr
    assert has_mnist37(python)                        # installed from the wheel
    empty = tmp/'no-wheels'; empty.mkdir()
    r = run_cells(python, {**offline, 'PIP_FIND_LINKS': str(empty)})   # pip would fail here: so it must not run
    assert r.returncode == 0, r.stderr
