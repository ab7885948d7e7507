"""Prose that names code names something real: every backticked name in a chapter's markdown resolves.

A name in backticks (`fit_model`, `nn.Linear`, `mnist37.data`, `learn.fit_one_cycle`) must be one of: a name the
notebook's own code defines, imports or binds (functions, classes, variables, arguments, keyword arguments,
attributes it sets); an attribute of the `mnist37` library; a Python builtin or keyword; a name in torch, `torch.nn`,
`torch.nn.functional`, fastai's modules or fastcore that the chapters use; or an attribute of one of those. Paths,
shapes, numbers, command lines, environment variables and strings are not names and are skipped. A reader who meets
`mnist_dls` (a function that exists nowhere) is told so by this test. Run it with `pytest tests/test_prose.py`.
"""
import ast, builtins, importlib, json, keyword, pkgutil, re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT/'nbs').glob('*.ipynb'))
NAME = re.compile(r'^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*(\(\))?$')
TICKS = re.compile(r'(?<!`)`([^`\n]+)`(?!`)')


def _modules():
    import mnist37
    mods = [importlib.import_module(f'mnist37.{m.name}') for m in pkgutil.iter_modules(mnist37.__path__)]
    import torch, torch.nn, torch.nn.functional, numpy, pandas, fastcore.test, fastcore.xtras
    import fastai.learner, fastai.callback.core, fastai.callback.schedule, fastai.callback.progress, fastai.optimizer
    import fastai.data.core, fastai.data.load, fastai.data.external, fastai.torch_core, fastai.vision.all
    return mods + [torch, torch.nn, torch.nn.functional, torch.optim, torch.Tensor, numpy, pandas, pandas.DataFrame,
                   fastcore.test, fastcore.xtras, fastai.learner, fastai.learner.Learner, fastai.callback.core,
                   fastai.callback.schedule, fastai.optimizer, fastai.data.core, fastai.data.load, fastai.data.external,
                   fastai.torch_core, fastai.vision.all]


KNOWN = None
def known():
    "Every name the chapters may mention: the library (its names, arguments and module names), torch, fastai, numpy, pandas, nbdev's commands, builtins"
    global KNOWN
    if KNOWN is None:
        import inspect, nbdev.test, nbdev.quarto, nbdev.clean, nbdev.doclinks
        KNOWN = set(dir(builtins)) | set(keyword.kwlist) | {'mnist37', 'torch', 'nn', 'F', 'np', 'pd', 'plt', 'fastai'}
        KNOWN |= {m.name for m in pkgutil.iter_modules(importlib.import_module('mnist37').__path__)}
        KNOWN |= {f.stem for f in (ROOT/'.github'/'workflows').glob('*.y*ml')}   # the GitHub workflows, by name
        for m in _modules() + [nbdev.test, nbdev.quarto, nbdev.clean, nbdev.doclinks]:
            for n in dir(m):
                KNOWN.add(n)
                try:
                    o = getattr(m, n)
                    if isinstance(o, type): KNOWN |= set(dir(o))
                    if callable(o) and getattr(o, '__module__', '').startswith('mnist37'):
                        KNOWN |= set(inspect.signature(o).parameters)
                except Exception: continue
        from mnist37.methods import METHODS
        KNOWN |= {m.group for m in METHODS.values() if getattr(m, 'group', None)} | {'all'}
    return KNOWN


def importable(name):
    "Is the dotted `name` a module, or an attribute of one (`importlib.resources`, `torch.jit.script`)?"
    parts = name.split('.')
    for i in range(len(parts), 0, -1):
        try: o = importlib.import_module('.'.join(parts[:i]))
        except Exception: continue
        try:
            for p in parts[i:]: o = getattr(o, p)
            return True
        except AttributeError: return False
    return False


def notebook_names(cells):
    "Names the notebook's code binds: definitions, imports, assignments, arguments, keyword arguments, attributes"
    names = set()
    for src in cells:
        src = '\n'.join(l for l in src.splitlines() if not l.lstrip().startswith(('%', '!', '#|')))
        try: tree = ast.parse(src)
        except SyntaxError: continue
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)): names.add(node.name)
            elif isinstance(node, ast.Name): names.add(node.id)
            elif isinstance(node, ast.arg): names.add(node.arg)
            elif isinstance(node, ast.keyword) and node.arg: names.add(node.arg)
            elif isinstance(node, ast.Attribute): names.add(node.attr)
            elif isinstance(node, ast.alias): names.add((node.asname or node.name).split('.')[0]); names.add(node.name.split('.')[-1])
    return names


def mentions(md):
    "The backticked code names in a markdown text (outside fenced code blocks)"
    md = re.sub(r'```.*?```', '', md, flags=re.S)
    for m in TICKS.finditer(md):
        t = m.group(1).strip()
        if re.search(r'\.(tgz|tar|gz|zip|md|css|js|py|ipynb|png|json|csv|html|ya?ml|ini|txt|pt)$', t): continue   # a file
        if NAME.match(t) and not t.isupper(): yield t.removesuffix('()')


@pytest.mark.parametrize('fn', NOTEBOOKS, ids=lambda p: p.stem)
def test_backticked_names_resolve(fn):
    cells = json.loads(fn.read_text(encoding='utf-8'))['cells']
    ok = notebook_names([''.join(c['source']) for c in cells if c['cell_type'] == 'code']) | known()
    bad = sorted({t for c in cells if c['cell_type'] == 'markdown' for t in mentions(''.join(c['source']))
                  if not all(p in ok for p in t.split('.')) and not importable(t)})
    assert not bad, f"{fn.name}: the prose names code that is nowhere in the notebook or the library: {bad}"
